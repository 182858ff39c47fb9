using System.Text.Json.Serialization;

namespace Bitcain.ExchangeSimulator;

/// <summary>The simulator's own control surface under <c>/__sim/</c>: accounts to print, request counts to assert,
/// faults to switch. No real exchange has these paths, so they cannot collide.</summary>
internal static class AdminEndpoints
{
    public static void MapSimulatorAdmin(this IEndpointRouteBuilder app, SimulatorState state)
    {
        var admin = app.MapGroup("/__sim");
        // For an orchestrator's readiness check (the AppHost's WithHttpHealthCheck); not counted as an exchange request.
        admin.MapGet("/health", () => Results.Json(new { status = "ok", exchanges = state.Exchanges.Keys }, SimJson.Options));
        admin.MapGet("/accounts", () => Results.Json(state.Accounts.Select(AccountDto.From), SimJson.Options));
        admin.MapGet("/accounts/{exchange}/{name}/trades", (string exchange, string name, string? symbol) => ReadTrades(state, exchange, name, symbol));
        admin.MapPost("/accounts/{exchange}/{name}/trades", (string exchange, string name, AddTradesDto body) => AddTrades(state, exchange, name, body));
        admin.MapGet("/requests", () => Results.Json(state.Requests.Snapshot().Select(r => new
        {
            exchange = r.Exchange, method = r.Method, path = r.Path, count = r.Count,
        }), SimJson.Options));
        admin.MapDelete("/requests", () =>
        {
            state.Requests.Reset();
            return Results.NoContent();
        });
        admin.MapGet("/faults", () => Results.Json(state.Faults.Active.Select(FaultDto.From), SimJson.Options));
        admin.MapPost("/faults", (FaultDto body) => AddFault(state, body));
        admin.MapDelete("/faults", () =>
        {
            state.Faults.Clear();
            return Results.NoContent();
        });
        admin.MapDelete("/faults/{id:long}", (long id) => state.Faults.Remove(id) ? Results.NoContent() : Results.NotFound());
        admin.MapGet("/options", () => Results.Json(LimitsDto.From(state.Options), SimJson.Options));
        admin.MapMethods("/options", ["PATCH"], (LimitsDto body) =>
        {
            body.ApplyTo(state.Options);
            return Results.Json(LimitsDto.From(state.Options), SimJson.Options);
        });
        admin.MapPost("/reset", () =>
        {
            state.Faults.Clear();
            state.Requests.Reset();
            state.ResetState();
            return Results.NoContent();
        });
    }

    /// <summary>The simulator's own record of an account's trades, so a test can compare what a client stored without
    /// asking the client. Only the Binance venues hold histories that can change at run time.</summary>
    private static IResult ReadTrades(SimulatorState state, string exchange, string name, string? symbol)
    {
        if (!state.Exchanges.TryGetValue(exchange, out var simulation) || simulation is not Binance.BinanceExchange binance)
            return Results.NotFound(new { error = $"trades are readable on binance and binanceus only, not '{exchange}'" });
        var trades = binance.TradesOf(name, symbol);
        return trades is null
            ? Results.NotFound(new { error = $"no account '{name}' on '{exchange}'" })
            : Results.Json(trades.Select(TradeDto.From), SimJson.Options);
    }

    private static IResult AddTrades(SimulatorState state, string exchange, string name, AddTradesDto body)
    {
        if (!state.Exchanges.TryGetValue(exchange, out var simulation) || simulation is not Binance.BinanceExchange binance)
            return Results.NotFound(new { error = $"trades can be added on binance and binanceus only, not '{exchange}'" });
        var (added, error) = binance.AddTrades(name, body.Symbol ?? "", body.Count ?? 0);
        return error is null
            ? Results.Json(added.Select(TradeDto.From), SimJson.Options, statusCode: 201)
            : Results.BadRequest(new { error });
    }

    private static IResult AddFault(SimulatorState state, FaultDto body)
    {
        if (!TryParseKind(body.Kind, out var kind))
            return Results.BadRequest(new { error = $"unknown kind '{body.Kind}'; use one of {string.Join(", ", KindNames.Keys)}" });
        var apiKey = body.ApiKey;
        if (body.Account is not null)
        {
            var account = state.Accounts.FirstOrDefault(a =>
                string.Equals(a.Exchange, body.Exchange, StringComparison.OrdinalIgnoreCase) && a.Name == body.Account);
            if (account is null) return Results.BadRequest(new { error = $"no account '{body.Account}' on '{body.Exchange}'" });
            apiKey = account.ApiKey;
        }
        var fault = new Fault(kind)
        {
            Exchange = body.Exchange,
            ApiKey = apiKey,
            Path = body.Path,
            Latency = TimeSpan.FromMilliseconds(body.LatencyMs ?? 0),
            StatusCode = body.Status,
            RetryAfterSeconds = body.RetryAfterSeconds ?? 30,
            Times = body.Times,
            After = body.After ?? 0,
            Body = body.Body,
        };
        var id = state.Faults.Add(fault);
        return Results.Json(FaultDto.From(new ActiveFault(id, fault, 0)), SimJson.Options, statusCode: 201);
    }

    private static readonly Dictionary<string, FaultKind> KindNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["latency"] = FaultKind.Latency,
        ["rate_limit"] = FaultKind.RateLimited,
        ["server_error"] = FaultKind.ServerError,
        ["maintenance"] = FaultKind.Maintenance,
        ["malformed_json"] = FaultKind.MalformedJson,
        ["drop_connection"] = FaultKind.DropConnection,
        ["drop_response"] = FaultKind.DropResponse,
        ["body"] = FaultKind.Body,
    };

    private static bool TryParseKind(string? name, out FaultKind kind) =>
        KindNames.TryGetValue(name ?? "", out kind) || Enum.TryParse(name, ignoreCase: true, out kind);

    private static string NameOf(FaultKind kind) => KindNames.First(k => k.Value == kind).Key;

    internal sealed record AccountDto(
        [property: JsonPropertyName("exchange")] string Exchange,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("api_key")] string ApiKey,
        [property: JsonPropertyName("api_secret")] string ApiSecret,
        [property: JsonPropertyName("passphrase")] string? Passphrase,
        [property: JsonPropertyName("permissions")] IReadOnlyList<string> Permissions)
    {
        public static AccountDto From(SimulatedAccount a) => new(a.Exchange, a.Name, a.ApiKey, a.ApiSecret, a.Passphrase, a.Permissions);
    }

    /// <summary>The run-time limits, so a demo can lower them over HTTP; unset fields are left as they are.</summary>
    internal sealed record LimitsDto
    {
        [JsonPropertyName("binance_limits_enabled")] public bool? BinanceEnabled { get; init; }
        [JsonPropertyName("binance_request_weight_per_minute")] public int? BinanceWeight { get; init; }
        [JsonPropertyName("binance_sapi_ip_weight_per_minute")] public int? BinanceSapiWeight { get; init; }
        [JsonPropertyName("binance_requests_ignoring_429_before_ban")] public int? BinanceIgnored { get; init; }
        [JsonPropertyName("binance_ban_seconds")] public int? BinanceBanSeconds { get; init; }
        [JsonPropertyName("kraken_limits_enabled")] public bool? KrakenEnabled { get; init; }
        [JsonPropertyName("kraken_max_counter")] public double? KrakenMax { get; init; }
        [JsonPropertyName("kraken_decay_per_second")] public double? KrakenDecay { get; init; }
        [JsonPropertyName("bybit_limits_enabled")] public bool? BybitEnabled { get; init; }
        [JsonPropertyName("bybit_private_requests_per_second")] public int? BybitPerSecond { get; init; }
        [JsonPropertyName("okx_limits_enabled")] public bool? OkxEnabled { get; init; }
        [JsonPropertyName("okx_private_requests_per_two_seconds")] public int? OkxPerTwoSeconds { get; init; }
        [JsonPropertyName("kucoin_limits_enabled")] public bool? KuCoinEnabled { get; init; }
        [JsonPropertyName("kucoin_private_weight_per_30_seconds")] public int? KuCoinWeight { get; init; }
        [JsonPropertyName("gate_io_limits_enabled")] public bool? GateEnabled { get; init; }
        [JsonPropertyName("gate_io_private_requests_per_10_seconds")] public int? GatePer10 { get; init; }
        [JsonPropertyName("bitfinex_limits_enabled")] public bool? BitfinexEnabled { get; init; }
        [JsonPropertyName("bitfinex_private_requests_per_minute")] public int? BitfinexPerMinute { get; init; }
        [JsonPropertyName("coinbase_limits_enabled")] public bool? CoinbaseEnabled { get; init; }
        [JsonPropertyName("coinbase_private_requests_per_second")] public int? CoinbasePerSecond { get; init; }

        public static LimitsDto From(SimulatorOptions o) => new()
        {
            BinanceEnabled = o.Binance.Enabled, BinanceWeight = o.Binance.RequestWeightPerMinute,
            BinanceSapiWeight = o.Binance.SapiIpWeightPerMinute, BinanceIgnored = o.Binance.RequestsIgnoring429BeforeBan,
            BinanceBanSeconds = (int)o.Binance.BanDuration.TotalSeconds, KrakenEnabled = o.Kraken.Enabled,
            KrakenMax = o.Kraken.MaxCounter, KrakenDecay = o.Kraken.DecayPerSecond,
            BybitEnabled = o.Bybit.Enabled, BybitPerSecond = o.Bybit.PrivateRequestsPerSecond,
            OkxEnabled = o.Okx.Enabled, OkxPerTwoSeconds = o.Okx.PrivateRequestsPerTwoSeconds,
            KuCoinEnabled = o.KuCoin.Enabled, KuCoinWeight = o.KuCoin.PrivateWeightPer30Seconds,
            GateEnabled = o.GateIo.Enabled, GatePer10 = o.GateIo.PrivateRequestsPer10Seconds,
            BitfinexEnabled = o.Bitfinex.Enabled, BitfinexPerMinute = o.Bitfinex.PrivateRequestsPerMinute,
            CoinbaseEnabled = o.Coinbase.Enabled, CoinbasePerSecond = o.Coinbase.PrivateRequestsPerSecond,
        };

        public void ApplyTo(SimulatorOptions o)
        {
            if (BinanceEnabled is { } be) o.Binance.Enabled = be;
            if (BinanceWeight is { } bw) o.Binance.RequestWeightPerMinute = bw;
            if (BinanceSapiWeight is { } bs) o.Binance.SapiIpWeightPerMinute = bs;
            if (BinanceIgnored is { } bi) o.Binance.RequestsIgnoring429BeforeBan = bi;
            if (BinanceBanSeconds is { } bb) o.Binance.BanDuration = TimeSpan.FromSeconds(bb);
            if (KrakenEnabled is { } ke) o.Kraken.Enabled = ke;
            if (KrakenMax is { } km) o.Kraken.MaxCounter = km;
            if (KrakenDecay is { } kd) o.Kraken.DecayPerSecond = kd;
            if (BybitEnabled is { } bye) o.Bybit.Enabled = bye;
            if (BybitPerSecond is { } bp) o.Bybit.PrivateRequestsPerSecond = bp;
            if (OkxEnabled is { } oe) o.Okx.Enabled = oe;
            if (OkxPerTwoSeconds is { } op) o.Okx.PrivateRequestsPerTwoSeconds = op;
            if (KuCoinEnabled is { } ke2) o.KuCoin.Enabled = ke2;
            if (KuCoinWeight is { } kw) o.KuCoin.PrivateWeightPer30Seconds = kw;
            if (GateEnabled is { } ge) o.GateIo.Enabled = ge;
            if (GatePer10 is { } gp) o.GateIo.PrivateRequestsPer10Seconds = gp;
            if (BitfinexEnabled is { } bfe) o.Bitfinex.Enabled = bfe;
            if (BitfinexPerMinute is { } bfm) o.Bitfinex.PrivateRequestsPerMinute = bfm;
            if (CoinbaseEnabled is { } cbe) o.Coinbase.Enabled = cbe;
            if (CoinbasePerSecond is { } cbs) o.Coinbase.PrivateRequestsPerSecond = cbs;
        }
    }

    internal sealed record AddTradesDto(
        [property: JsonPropertyName("symbol")] string? Symbol,
        [property: JsonPropertyName("count")] int? Count);

    internal sealed record TradeDto(
        [property: JsonPropertyName("symbol")] string Symbol,
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("order_id")] long OrderId,
        [property: JsonPropertyName("time")] long Time,
        [property: JsonPropertyName("price")] string Price,
        [property: JsonPropertyName("qty")] string Qty,
        [property: JsonPropertyName("quote_qty")] string QuoteQty,
        [property: JsonPropertyName("is_buyer")] bool IsBuyer)
    {
        public static TradeDto From(SimulatedTrade t) => new(t.Symbol, t.Id, t.OrderId, t.TimeMs,
            Binance.BinanceMarkets.F8(t.Price), Binance.BinanceMarkets.F8(t.Qty), Binance.BinanceMarkets.F8(t.QuoteQty), t.IsBuyer);
    }

    internal sealed record FaultDto
    {
        [JsonPropertyName("id")] public long? Id { get; init; }
        [JsonPropertyName("kind")] public string? Kind { get; init; }
        [JsonPropertyName("exchange")] public string? Exchange { get; init; }
        [JsonPropertyName("account")] public string? Account { get; init; }
        [JsonPropertyName("api_key")] public string? ApiKey { get; init; }
        [JsonPropertyName("path")] public string? Path { get; init; }
        [JsonPropertyName("latency_ms")] public int? LatencyMs { get; init; }
        [JsonPropertyName("status")] public int? Status { get; init; }
        [JsonPropertyName("retry_after_seconds")] public int? RetryAfterSeconds { get; init; }
        [JsonPropertyName("times")] public int? Times { get; init; }
        [JsonPropertyName("hits")] public int? Hits { get; init; }
        [JsonPropertyName("after")] public int? After { get; init; }
        [JsonPropertyName("body")] public string? Body { get; init; }

        public static FaultDto From(ActiveFault a) => new()
        {
            Id = a.Id, Kind = NameOf(a.Fault.Kind), Exchange = a.Fault.Exchange, ApiKey = a.Fault.ApiKey, Path = a.Fault.Path,
            LatencyMs = (int)a.Fault.Latency.TotalMilliseconds, Status = a.Fault.StatusCode,
            RetryAfterSeconds = a.Fault.RetryAfterSeconds, Times = a.Fault.Times, Hits = a.Hits, After = a.Fault.After, Body = a.Fault.Body,
        };
    }
}
