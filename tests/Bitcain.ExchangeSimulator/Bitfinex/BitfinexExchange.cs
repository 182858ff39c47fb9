using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.Bitfinex;

/// <summary>
/// Bitfinex API v2 (FACTS.md §8): public GETs, authenticated POSTs with bfx-apikey, bfx-nonce (strictly increasing per key)
/// and bfx-signature. Answers are positional arrays; errors are <c>["error", CODE, "message"]</c> over HTTP 500 (10100
/// "apikey: invalid" for an unknown key, "apikey: digest invalid" for a bad signature, 10114 "nonce: small"), the rate limit
/// HTTP 429 <c>{"error":"ERR_RATE_LIMIT"}</c>. One host serves public and authenticated paths, as api.bitfinex.com does.
/// </summary>
internal sealed partial class BitfinexExchange : IExchangeSimulation
{
    private sealed record Call(HttpContext Context, BitfinexAccount Account, JsonElement Body, DateTimeOffset Now);

    /// <summary>trades/hist: 25 by default, 2500 at most (Bitfinex's reference).</summary>
    private const int DefaultTradeLimit = 25;
    private const int MaxTradeLimit = 2500;
    private const string TradesPrefix = "/v2/auth/r/trades/";

    private readonly SimulatorOptions _options;
    private readonly BitfinexMarkets _markets = BitfinexMarkets.Instance.Value;
    private readonly IReadOnlyList<BitfinexAccount> _accounts;
    private readonly Dictionary<string, BitfinexAccount> _byKey;

    public BitfinexExchange(SimulatorOptions options)
    {
        _options = options;
        _accounts = SeedAccounts(options, _markets);
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
    }

    public string Name => "bitfinex";

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    /// <summary>The exchange wallet: margin and funding wallets are not the spot trading wallet.</summary>
    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Wallets.Where(w => w.Type == "exchange").Select(w => (BitfinexMarkets.CommonCode(w.Currency), w.Balance)),
        a => Enumerable.Range(0, a.Trades.Count).Select(a.Trades.At)
            .Select(t => new HeldTrade(t.Id.ToString(CultureInfo.InvariantCulture), t.Pair.Symbol, Bitcain.ExchangeSimulator.Holdings.Ms(t.Mts))));

    public string? ApiKeyOf(HttpRequest request) => request.Headers["bfx-apikey"].FirstOrDefault();

    public void ResetState()
    {
        foreach (var a in _accounts) a.ResetState();
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await PublicAsync(context, path, now);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method) || !path.StartsWith("/v2/auth/r/", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 404, 10020, "method: invalid");
            return;
        }
        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        var (account, code, message) = Authenticate(context.Request, path, raw);
        if (account is null)
        {
            await ErrorAsync(context, 500, code, message!);
            return;
        }
        if (_options.Bitfinex.Enabled && !account.TryCharge(path, now, _options.Bitfinex.PrivateRequestsPerMinute))
        {
            await SimJson.WriteAsync(context, 429, new { error = "ERR_RATE_LIMIT" });
            return;
        }
        JsonElement body;
        try
        {
            using var doc = JsonDocument.Parse(raw.Length == 0 ? "{}" : raw);
            body = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 500, 10020, "body: invalid");
            return;
        }
        var call = new Call(context, account, body, now);
        switch (path)
        {
            case "/v2/auth/r/wallets":
                await Wallets(call);
                return;
            case "/v2/auth/r/permissions":
                await Permissions(call);
                return;
            case "/v2/auth/r/trades/hist":
                await TradesHist(call, null);
                return;
            case var p when p.StartsWith(TradesPrefix, StringComparison.Ordinal) && p.EndsWith("/hist", StringComparison.Ordinal):
                var symbol = p[TradesPrefix.Length..^"/hist".Length];
                if (!_markets.BySymbol.TryGetValue(symbol, out var pair))
                {
                    await ErrorAsync(context, 500, 10020, "symbol: invalid");
                    return;
                }
                await TradesHist(call, pair);
                return;
            default:
                await ErrorAsync(context, 404, 10020, "method: invalid");
                return;
        }
    }

    /// <summary>Key, then the signature over "/api/" + path + nonce + raw body, then the nonce: above the last one accepted.
    /// A request refused for its signature does not use up its nonce.</summary>
    private (BitfinexAccount? Account, int Code, string? Message) Authenticate(HttpRequest request, string path, string body)
    {
        var key = request.Headers["bfx-apikey"].FirstOrDefault();
        if (string.IsNullOrEmpty(key) || !_byKey.TryGetValue(key, out var account)) return (null, 10100, "apikey: invalid");
        var nonceText = request.Headers["bfx-nonce"].FirstOrDefault() ?? "";
        if (!long.TryParse(nonceText, NumberStyles.None, CultureInfo.InvariantCulture, out var nonce)) return (null, 10114, "nonce: invalid");
        var signature = request.Headers["bfx-signature"].FirstOrDefault();
        if (string.IsNullOrEmpty(signature) || !BitfinexSignature.Verify(account.Key.ApiSecret, BitfinexSignature.SignedText(path, nonceText, body), signature))
            return (null, 10100, "apikey: digest invalid");
        if (!account.TryUseNonce(nonce)) return (null, 10114, "nonce: small");
        return (account, 0, null);
    }

    public Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return SimJson.WriteAsync(context, fault.StatusCode ?? 429, new { error = "ERR_RATE_LIMIT" });
            case FaultKind.Maintenance when path == "/v2/platform/status":
                return SimJson.WriteAsync(context, 200, new[] { 0 });
            case FaultKind.Maintenance:
                return ErrorAsync(context, fault.StatusCode ?? 500, 20060, "maintenance");
            default:
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync($"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>");
        }
    }

    private Task PublicAsync(HttpContext context, string path, DateTimeOffset now)
    {
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value);
        switch (path)
        {
            case "/v2/platform/status":
                return SimJson.WriteAsync(context, 200, new[] { 1 });
            case var p when p.StartsWith(ConfPrefix, StringComparison.Ordinal):
                return Conf(context, p[ConfPrefix.Length..]);
            case "/v2/tickers":
                var wanted = query.TryGetValue("symbols", out var s) ? s.ToString() : "";
                var all = wanted == "ALL";
                var set = wanted.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                var lines = _markets.Pairs.Where(p => all || set.Contains(p.Symbol))
                    .Select(p => (object?[])[p.Symbol, .. TickerOf(p, now)]).ToList();
                // Funding tickers come in the same list with their own, longer shape.
                if (all || set.Contains("fUSD"))
                    lines.Add(new object?[] { "fUSD", 0.0002, 0.0002, 30, 1000000, 0.0001, 2, 500000, 0.00001, 0.05, 0.0002, 25000000, 0.00025, 0.0001, null, null, 3000000 });
                return SimJson.WriteAsync(context, 200, lines);
            case var p when p.StartsWith("/v2/ticker/", StringComparison.Ordinal):
                return _markets.BySymbol.TryGetValue(p["/v2/ticker/".Length..], out var pair)
                    ? SimJson.WriteAsync(context, 200, TickerOf(pair, now))
                    : ErrorAsync(context, 500, 10020, "symbol: invalid");
            default:
                return ErrorAsync(context, 404, 10020, "method: invalid");
        }
    }

    /// <summary>[BID, BID_SIZE, ASK, ASK_SIZE, DAILY_CHANGE, DAILY_CHANGE_RELATIVE, LAST_PRICE, VOLUME, HIGH, LOW], all numbers.</summary>
    private static object[] TickerOf(BitfinexPair p, DateTimeOffset now)
    {
        var step = p.PriceStep;
        var day = now.ToUnixTimeSeconds() / 86400;
        var move = (decimal)(Deterministic.Unit(Deterministic.Hash("bitfinex-ticker/" + p.Id, day)) * 0.1 - 0.05);
        var last = Math.Max(step, Deterministic.RoundDown(p.ReferencePrice, step));
        var open = Math.Max(step, Deterministic.RoundDown(p.ReferencePrice * (1 - move), step));
        var change = last - open;
        var volume = Math.Round(250_000m * AssetCatalog.VolumeScale(p.Base) / Math.Max(0.00000001m, AssetCatalog.UsdPrice(p.Base)), 8);
        return [last - step, 12.5m, last + step, 9.75m, change, Math.Round(change / open, 4), last, volume,
            Math.Max(last, open) + step, Math.Max(step, Math.Min(last, open) - step)];
    }

    private static Task Wallets(Call call) =>
        SimJson.WriteAsync(call.Context, 200, call.Account.Wallets
            .Select(w => new object?[] { w.Type, w.Currency, w.Balance, 0, w.Available, null, null }).ToArray());

    /// <summary>The simulator's neutral permissions as Bitfinex's scopes: read opens every read, trade writes orders,
    /// withdraw writes withdraw.</summary>
    private static Task Permissions(Call call)
    {
        var key = call.Account.Key;
        int Flag(bool on) => on ? 1 : 0;
        var read = Flag(key.Can(Permission.Read));
        return SimJson.WriteAsync(call.Context, 200, new object[][]
        {
            ["account", read, 0], ["history", read, 0], ["orders", read, Flag(key.Can(Permission.Trade))], ["positions", read, 0],
            ["funding", read, 0], ["settings", read, 0], ["wallets", read, 0], ["withdraw", 0, Flag(key.Can(Permission.Withdraw))],
        });
    }

    /// <summary><c>start</c>/<c>end</c> ms, both inclusive; <c>sort</c> -1 newest first (the default) or 1 oldest first;
    /// <c>limit</c> 1..2500; ties in one millisecond keep one fixed order (by id).</summary>
    private Task TradesHist(Call call, BitfinexPair? pair)
    {
        long? Num(string name) => call.Body.ValueKind == JsonValueKind.Object && call.Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt64() : null;
        var limit = (int)(Num("limit") ?? DefaultTradeLimit);
        if (limit is < 1 or > MaxTradeLimit) return ErrorAsync(call.Context, 500, 10020, "limit: invalid");
        var start = Num("start") ?? 0;
        var end = Num("end") ?? call.Now.ToUnixTimeMilliseconds();
        var oldestFirst = Num("sort") == 1;
        var trades = call.Account.Trades;
        var page = new List<BitfinexTrade>();
        if (oldestFirst)
        {
            for (var i = trades.FirstAfter(start - 1); i < trades.Count && page.Count < limit && trades.Mts(i) <= end; i++)
                if (pair is null || trades.At(i).Pair == pair) page.Add(trades.At(i));
        }
        else
        {
            for (var i = trades.FirstAfter(end) - 1; i >= 0 && page.Count < limit && trades.Mts(i) >= start; i--)
                if (pair is null || trades.At(i).Pair == pair) page.Add(trades.At(i));
        }
        return SimJson.WriteAsync(call.Context, 200, page.Select(t => new object?[]
        {
            t.Id, t.Pair.Symbol, t.Mts, t.OrderId, t.ExecAmount, t.ExecPrice, "EXCHANGE LIMIT", t.ExecPrice, t.Maker ? 1 : -1, t.Fee, t.FeeCurrency, t.Mts - 37,
        }).ToArray());
    }

    private static Task ErrorAsync(HttpContext context, int status, int code, string message) =>
        SimJson.WriteAsync(context, status, new object[] { "error", code, message });

    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<BitfinexAccount> SeedAccounts(SimulatorOptions options, BitfinexMarkets markets)
    {
        var epoch = options.DataEpoch;
        var usd = markets.Pairs.Where(p => p.Quote == "USD" && p.OnExchangeWallet && p.Base is not "BTC" and not "ETH").Take(3);
        BitfinexPair[] pick = [markets.BySymbol["tBTCUSD"], markets.BySymbol["tBTCUST"], markets.BySymbol["tETHUSD"], .. usd];
        return
        [
            new BitfinexAccount(
                new SimulatedAccount("bitfinex", "demo", SeededKeys.BitfinexDemoKey, SeededKeys.BitfinexDemoSecret, null, [Permission.Read, Permission.Trade]),
                [
                    new("exchange", "BTC", 0.43m, 0.4m), new("exchange", "UST", 5000m, 4800m), new("exchange", "ETH", 1.5m, 1.5m),
                    new("exchange", "USD", 1200m, 1200m), new("exchange", "DSH", 3m, 3m), new("margin", "USD", 100m, 100m), new("funding", "USD", 250m, 200m),
                ],
                new BitfinexTrades("bitfinex/demo", pick, 275, epoch.AddDays(-30), epoch)),
            new BitfinexAccount(
                new SimulatedAccount("bitfinex", "readonly", SeededKeys.BitfinexReadOnlyKey, SeededKeys.BitfinexReadOnlySecret, null, [Permission.Read]),
                [new("exchange", "UST", 300m, 300m), new("exchange", "BTC", 0.005m, 0.005m)],
                new BitfinexTrades("bitfinex/readonly", [markets.BySymbol["tBTCUST"]], 40, epoch.AddDays(-30), epoch)),
            new BitfinexAccount(
                new SimulatedAccount("bitfinex", "load", SeededKeys.BitfinexLoadKey, SeededKeys.BitfinexLoadSecret, null, [Permission.Read, Permission.Trade]),
                [new("exchange", "UST", 1_000_000m, 1_000_000m), new("exchange", "BTC", 20m, 20m)],
                new BitfinexTrades("bitfinex/load", pick, options.LoadAccountTrades, epoch.AddDays(-365), epoch)),
        ];
    }
}
