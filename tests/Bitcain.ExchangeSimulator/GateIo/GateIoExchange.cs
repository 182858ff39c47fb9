using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.GateIo;

internal sealed record GatePair(string Id, string Base, string Quote, int AmountPrecision, int Precision, decimal MinBase, decimal MinQuote, bool Tradable,
    decimal ReferencePrice);

internal sealed record GateTrade(long Id, string OrderId, GatePair Pair, string Side, bool Maker, decimal Price, decimal Amount, decimal Fee, long TimeMs);

internal sealed class GateTrades(string seed, IReadOnlyList<GatePair> pairs, int count, DateTimeOffset from, DateTimeOffset to)
    : TradeTimeline(seed, count, from, to)
{
    public GateTrade At(int i)
    {
        var h = HashOf(i);
        var p = pairs[(int)(h % (ulong)pairs.Count)];
        var (price, amount, buy, maker) = Draw(i, p.ReferencePrice, Step(p.Precision), p.MinBase, Step(p.AmountPrecision), p.Base);
        return new GateTrade(5_000_000_000L + (long)(h % 1000) + 1000L * i, (300_000_000_000L + (long)(h % 100_000_000)).ToString(CultureInfo.InvariantCulture),
            p, buy ? "buy" : "sell", maker, price, amount, Math.Round(price * amount * 0.002m, 10), TimeMs(i));
    }

    public static decimal Step(int decimals)
    {
        var step = 1m;
        for (var d = 0; d < decimals; d++) step /= 10m;
        return step;
    }
}

internal sealed record GateLine(string Currency, decimal Available, decimal Locked);

internal sealed class GateAccount(SimulatedAccount key, IReadOnlyList<GateLine> lines, GateTrades trades)
{
    private readonly FixedWindowCounter _requests = new(10_000);
    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<GateLine> Lines { get; } = lines;
    public GateTrades Trades { get; } = trades;

    public int TryCharge(string path, DateTimeOffset now, int limit) => _requests.TryCharge(path, now, limit);

    public void ResetState() => _requests.Reset();
}

/// <summary>Gate.io v4 spot under /api/v4 (FACTS.md §9): JSON arrays/objects on success, HTTP 4xx with
/// <c>{"label","message"}</c> on error; KEY/Timestamp(seconds, within 60 s)/SIGN = hex HMAC-SHA512 of the documented
/// five-line string.</summary>
internal sealed partial class GateIoExchange : IExchangeSimulation
{
    private static readonly TimeSpan TimestampWindow = TimeSpan.FromSeconds(60);
    private static readonly long MaxWindowSeconds = 30L * 86_400; // Gate refuses from/to spans over 30 days
    private readonly SimulatorOptions _options;
    private readonly IReadOnlyList<GatePair> _pairs;
    private readonly Dictionary<string, GatePair> _byId;
    private readonly IReadOnlyList<GateAccount> _accounts;
    private readonly Dictionary<string, GateAccount> _byKey;

    public GateIoExchange(SimulatorOptions options)
    {
        _options = options;
        _pairs = BuildPairs();
        _byId = _pairs.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var epoch = options.DataEpoch;
        var usdt = _pairs.Where(p => p.Quote == "USDT" && p.Tradable).Take(5).ToList();
        _accounts =
        [
            new GateAccount(new SimulatedAccount("gate_io", "demo", SeededKeys.GateIoDemoKey, SeededKeys.GateIoDemoSecret, null, [Permission.Read, Permission.Trade]),
                [new("BTC", 0.4m, 0.03m), new("USDT", 8000m, 500m), new("ETH", 1.5m, 0m)],
                new GateTrades("gate_io/demo", usdt.Take(4).ToList(), 260, epoch.AddDays(-30), epoch)),
            new GateAccount(new SimulatedAccount("gate_io", "readonly", SeededKeys.GateIoReadOnlyKey, SeededKeys.GateIoReadOnlySecret, null, [Permission.Read]),
                [new("USDT", 100m, 0m)], new GateTrades("gate_io/readonly", [_byId["BTC_USDT"]], 20, epoch.AddDays(-30), epoch)),
            new GateAccount(new SimulatedAccount("gate_io", "load", SeededKeys.GateIoLoadKey, SeededKeys.GateIoLoadSecret, null, [Permission.Read, Permission.Trade]),
                [new("USDT", 1_000_000m, 0m)], new GateTrades("gate_io/load", usdt, options.LoadAccountTrades, epoch.AddDays(-365), epoch)),
        ];
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
    }

    public string Name => "gate_io";
    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Lines.Select(l => (l.Currency, l.Available + l.Locked)),
        a => Enumerable.Range(0, a.Trades.Count).Select(a.Trades.At)
            .Select(t => new HeldTrade(t.Id.ToString(CultureInfo.InvariantCulture), t.Pair.Id, Bitcain.ExchangeSimulator.Holdings.Ms(t.TimeMs))));
    public string? ApiKeyOf(HttpRequest request) => request.Headers["KEY"].FirstOrDefault();

    public void ResetState()
    {
        foreach (var a in _accounts) a.ResetState();
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        var q = QueryHelpers.ParseQuery(context.Request.QueryString.Value).ToDictionary(x => x.Key, x => x.Value.ToString(), StringComparer.Ordinal);
        if (await TryWriteCatalogAsync(context, path)) return;
        switch (path)
        {
            case "/api/v4/spot/time":
                await SimJson.WriteAsync(context, 200, new { server_time = now.ToUnixTimeMilliseconds() });
                return;
            case "/api/v4/spot/currency_pairs":
                await SimJson.WriteAsync(context, 200, _pairs.Select(p => new
                {
                    id = p.Id, @base = p.Base, quote = p.Quote, fee = "0.2", min_base_amount = Plain(p.MinBase), min_quote_amount = Plain(p.MinQuote),
                    amount_precision = p.AmountPrecision, precision = p.Precision, trade_status = p.Tradable ? "tradable" : "untradable",
                    sell_start = 0, buy_start = 0,
                }).ToArray());
                return;
            case "/api/v4/spot/tickers":
                if (!q.TryGetValue("currency_pair", out var id) || !_byId.TryGetValue(id, out var pair))
                {
                    await ErrorAsync(context, 400, "INVALID_CURRENCY_PAIR", "Invalid currency pair");
                    return;
                }
                var tick = GateTrades.Step(pair.Precision);
                var last = Math.Max(tick, Deterministic.RoundDown(pair.ReferencePrice, tick));
                var pct = Math.Round((decimal)(Deterministic.Unit(Deterministic.Hash("gate-ticker/" + id, now.ToUnixTimeSeconds() / 86400)) * 10 - 5), 2);
                await SimJson.WriteAsync(context, 200, new[]
                {
                    new
                    {
                        currency_pair = id, last = Plain(last), lowest_ask = Plain(last + tick), highest_bid = Plain(last - tick), change_percentage = Plain(pct),
                        base_volume = Plain(Math.Round(1_000_000m / AssetCatalog.UsdPrice(pair.Base), 6)), quote_volume = "1000000",
                        high_24h = Plain(last * 1.06m), low_24h = Plain(Deterministic.RoundDown(last * 0.94m, tick)),
                    },
                });
                return;
            case "/api/v4/spot/accounts" or "/api/v4/spot/my_trades" or "/api/v4/account/detail":
                break;
            default:
                await ErrorAsync(context, 404, "NOT_FOUND", "Not found");
                return;
        }
        var (account, label, message) = Authenticate(context.Request, path, now);
        if (account is null)
        {
            await ErrorAsync(context, 401, label!, message!);
            return;
        }
        if (_options.GateIo.Enabled)
        {
            var limit = _options.GateIo.PrivateRequestsPer10Seconds;
            var remaining = account.TryCharge(path, now, limit);
            context.Response.Headers["X-Gate-RateLimit-Limit"] = Text(limit);
            context.Response.Headers["X-Gate-RateLimit-Requests-Remain"] = Text(Math.Max(0, remaining));
            context.Response.Headers["X-Gate-RateLimit-Reset-Timestamp"] = Text((now.ToUnixTimeMilliseconds() / 10_000 + 1) * 10_000);
            if (remaining < 0)
            {
                await ErrorAsync(context, 429, "TOO_MANY_REQUESTS", "Request Rate limit Exceeded");
                return;
            }
        }
        if (path == "/api/v4/spot/accounts")
        {
            await SimJson.WriteAsync(context, 200, account.Lines.Select(l => new { currency = l.Currency, available = Plain(l.Available), locked = Plain(l.Locked) }).ToArray());
            return;
        }
        if (path == "/api/v4/account/detail")
        {
            await AccountDetail(context, account);
            return;
        }
        await MyTrades(context, account, q, now);
    }

    /// <summary>Newest first inside [from, to] (seconds; the last 7 days by default, at most 30), <c>limit</c> ≤ 1000, <c>page</c> from 1.</summary>
    private Task MyTrades(HttpContext context, GateAccount account, Dictionary<string, string> q, DateTimeOffset now)
    {
        long? Num(string name) => q.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var to = Num("to") ?? now.ToUnixTimeSeconds();
        var from = Num("from") ?? to - 7 * 86_400;
        var limit = (int)(Num("limit") ?? 100);
        var page = (int)(Num("page") ?? 1);
        if (to < from || to - from > MaxWindowSeconds || limit is < 1 or > 1000 || page < 1)
            return ErrorAsync(context, 400, "INVALID_PARAM_VALUE", "Invalid from/to, limit or page");
        q.TryGetValue("currency_pair", out var pair);
        var trades = account.Trades;
        var matching = new List<GateTrade>();
        var skip = (page - 1) * limit;
        for (var i = trades.FirstAtOrAfter((to + 1) * 1000) - 1; i >= 0 && trades.TimeMs(i) >= from * 1000 && matching.Count < limit; i--)
        {
            var t = trades.At(i);
            if (pair is not null && t.Pair.Id != pair) continue;
            if (skip-- > 0) continue;
            matching.Add(t);
        }
        return SimJson.WriteAsync(context, 200, matching.Select(t => new
        {
            id = Text(t.Id), create_time = Text(t.TimeMs / 1000), create_time_ms = Text(t.TimeMs) + ".000", currency_pair = t.Pair.Id, side = t.Side,
            role = t.Maker ? "maker" : "taker", amount = Plain(t.Amount), price = Plain(t.Price), order_id = t.OrderId, fee = Plain(t.Fee),
            fee_currency = t.Pair.Quote, point_fee = "0", gt_fee = "0", text = "",
        }).ToArray());
    }

    /// <summary>KEY, then Timestamp (seconds, within 60 s), then SIGN over METHOD\n/api/v4/path\nquery\nsha512(body)\ntimestamp.</summary>
    private (GateAccount? Account, string? Label, string? Message) Authenticate(HttpRequest request, string path, DateTimeOffset now)
    {
        var key = request.Headers["KEY"].FirstOrDefault();
        var timestamp = request.Headers["Timestamp"].FirstOrDefault();
        var sign = request.Headers["SIGN"].FirstOrDefault();
        if (key is null || timestamp is null || sign is null) return (null, "MISSING_REQUIRED_HEADER", "Missing required header: KEY, Timestamp or SIGN");
        if (!_byKey.TryGetValue(key, out var account)) return (null, "INVALID_KEY", "Invalid key provided");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(now.ToUnixTimeSeconds() - ts) > (long)TimestampWindow.TotalSeconds)
            return (null, "REQUEST_EXPIRED", "Request Timestamp Far From Current Time");
        var bodyHash = Convert.ToHexStringLower(SHA512.HashData([]));
        var text = $"{request.Method.ToUpperInvariant()}\n{path}\n{(request.QueryString.Value ?? "").TrimStart('?')}\n{bodyHash}\n{timestamp}";
        var expected = Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(account.Key.ApiSecret), Encoding.UTF8.GetBytes(text)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sign)))
            return (null, "INVALID_SIGNATURE", "Signature mismatch");
        return (account, null, null);
    }

    public Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                context.Response.Headers.RetryAfter = Text(fault.RetryAfterSeconds);
                return ErrorAsync(context, fault.StatusCode ?? 429, "TOO_MANY_REQUESTS", "Request Rate limit Exceeded");
            case FaultKind.Maintenance:
                return ErrorAsync(context, fault.StatusCode ?? 503, "SERVICE_UNAVAILABLE", "System maintenance");
            default:
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync($"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>");
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string label, string message) =>
        SimJson.WriteAsync(context, status, new { label, message });

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<GatePair> BuildPairs()
    {
        var list = new List<GatePair>();
        foreach (var (quote, count) in new[] { ("USDT", 60), ("USDC", 15), ("BTC", 12) })
        foreach (var asset in AssetCatalog.Crypto(count))
        {
            var id = asset + "_" + quote;
            if (asset == quote || asset is "USDT" or "USDC" || list.Any(p => p.Id == id)) continue;
            var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
            if (price <= 0) continue;
            var precision = Math.Clamp(Deterministic.DecimalsOf(price / 10000m) , 0, 12);
            var amountPrecision = Math.Clamp(Deterministic.DecimalsOf(1m / AssetCatalog.UsdPrice(asset) / 1000m), 0, 10);
            list.Add(new GatePair(id, asset, quote, amountPrecision, precision, GateTrades.Step(amountPrecision) * 10, quote == "BTC" ? 0.0001m : 3m,
                Deterministic.Hash("gate-status/" + id) % 21 != 0 || id == "BTC_USDT", AssetCatalog.Significant(price, 6)));
        }
        return list;
    }
}
