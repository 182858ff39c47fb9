using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.KuCoin;

internal sealed record KuCoinSymbol(string Symbol, string Base, string Quote, bool EnableTrading, decimal BaseMinSize, decimal BaseIncrement,
    decimal PriceIncrement, decimal MinFunds, decimal ReferencePrice);

internal sealed record KuCoinLine(string Currency, string Type, decimal Available, decimal Holds);

internal sealed record KuCoinFill(string TradeId, string OrderId, KuCoinSymbol Symbol, string Side, bool Maker, decimal Price, decimal Size,
    decimal Fee, long CreatedAt);

/// <summary>An account's fills from the index (0 = oldest), times strictly increasing.</summary>
internal sealed class KuCoinFills(string seed, IReadOnlyList<KuCoinSymbol> symbols, int count, DateTimeOffset from, DateTimeOffset to)
    : TradeTimeline(seed, count, from, to)
{
    public KuCoinFill At(int i)
    {
        var s = symbols[(int)(HashOf(i) % (ulong)symbols.Count)];
        var (price, size, buy, maker) = Draw(i, s.ReferencePrice, s.PriceIncrement, s.BaseMinSize, s.BaseIncrement, s.Base);
        // KuCoin charges spot fees in the quote currency (feeCurrency in the docs example).
        return new KuCoinFill(Id("t", i), Id("o", i), s, buy ? "buy" : "sell", maker, price, size, Math.Round(price * size * 0.001m, 10), TimeMs(i));
    }

    /// <summary>KuCoin ids are 24 hex characters.</summary>
    private string Id(string kind, int i) =>
        (Deterministic.Hash(Seed + "/" + kind, i).ToString("x16") + Deterministic.Hash(Seed + "/" + kind + "2", i).ToString("x16"))[..24];
}

internal sealed class KuCoinAccount(SimulatedAccount key, IReadOnlyList<KuCoinLine> lines, KuCoinFills fills)
{
    private readonly Lock _lock = new();
    private (long Window, int Used) _pool;

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<KuCoinLine> Lines { get; } = lines;
    public KuCoinFills Fills { get; } = fills;

    /// <summary>The spot private pool: a fixed 30-second window of weight. Returns (remaining, ms to reset), remaining &lt; 0 when refused.</summary>
    public (int Remaining, long ResetMs) TryCharge(int weight, DateTimeOffset now, int pool)
    {
        lock (_lock)
        {
            var ms = now.ToUnixTimeMilliseconds();
            var window = ms / 30_000;
            if (_pool.Window != window) _pool = (window, 0);
            var reset = (window + 1) * 30_000 - ms;
            if (_pool.Used + weight > pool) return (-1, reset);
            _pool = (window, _pool.Used + weight);
            return (pool - _pool.Used, reset);
        }
    }

    public void ResetState()
    {
        lock (_lock) _pool = default;
    }
}

/// <summary>KuCoin spot (FACTS.md §6, kucoin-api-docs 2023): <c>{"code":"200000","data":...}</c>; signed GETs with
/// KC-API-KEY/SIGN/TIMESTAMP/PASSPHRASE/KEY-VERSION, the timestamp within 5 s, a v2 passphrase HMAC'd with the secret.</summary>
internal sealed partial class KuCoinExchange : IExchangeSimulation
{
    private sealed record Call(HttpContext Context, KuCoinAccount Account, IReadOnlyDictionary<string, string> Query, DateTimeOffset Now);

    private static readonly TimeSpan TimestampWindow = TimeSpan.FromSeconds(5);
    private static readonly long MaxWindowMs = (long)TimeSpan.FromDays(7).TotalMilliseconds;
    private readonly SimulatorOptions _options;
    private readonly IReadOnlyList<KuCoinSymbol> _symbols;
    private readonly Dictionary<string, KuCoinSymbol> _bySymbol;
    private readonly IReadOnlyList<KuCoinAccount> _accounts;
    private readonly Dictionary<string, KuCoinAccount> _byKey;
    private readonly Dictionary<string, (int Weight, Func<Call, Task> Handle)> _private;

    public KuCoinExchange(SimulatorOptions options)
    {
        _options = options;
        _symbols = BuildSymbols();
        _bySymbol = _symbols.ToDictionary(s => s.Symbol, StringComparer.Ordinal);
        _accounts = SeedAccounts(options);
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
        // Weights per kucoin-api-docs: accounts 5, fills 10, api-key 20.
        _private = new(StringComparer.Ordinal)
        {
            ["/api/v1/accounts"] = (5, Accounts_),
            ["/api/v1/fills"] = (10, Fills),
            ["/api/v1/user/api-key"] = (20, ApiKey),
            ["/api/ua/v1/account/mode"] = (2, AccountMode),
            ["/api/v1/hf/accounts/opened"] = (2, HfAccountsOpened),
            ["/api/v3/margin/symbols"] = (3, MarginSymbols),
            ["/api/v1/isolated/symbols"] = (3, IsolatedSymbols),
        };
    }

    public string Name => "kucoin";

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    /// <summary>The trade account's lines: the main (funding) account is not the spot trading wallet.</summary>
    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Lines.Where(l => l.Type == "trade").Select(l => (l.Currency, l.Available + l.Holds)),
        a => Enumerable.Range(0, a.Fills.Count).Select(a.Fills.At)
            .Select(f => new HeldTrade(f.TradeId, f.Symbol.Symbol, Bitcain.ExchangeSimulator.Holdings.Ms(f.CreatedAt))));

    public string? ApiKeyOf(HttpRequest request) => request.Headers["KC-API-KEY"].FirstOrDefault();

    public void ResetState()
    {
        foreach (var a in _accounts) a.ResetState();
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await ErrorAsync(context, 405, "400100", "Method not allowed");
            return;
        }
        switch (path)
        {
            case "/api/v1/timestamp":
                await OkAsync(context, now.ToUnixTimeMilliseconds());
                return;
            case "/api/v1/status":
                await OkAsync(context, new { status = "open", msg = "" });
                return;
            case "/api/v2/symbols":
                await OkAsync(context, _symbols.Select(SymbolJson));
                return;
            case "/api/v1/market/stats":
                await Stats(context, query, now);
                return;
            case "/api/v1/market/allTickers":
                await AllTickers(context, now);
                return;
            case "/api/v3/currencies":
                await Currencies(context);
                return;
            case "/api/v1/contracts/active":
                // The futures host's listing (api-futures.kucoin.com), reached here under the same prefix: no contracts simulated.
                await OkAsync(context, Array.Empty<object>());
                return;
        }
        if (!_private.TryGetValue(path, out var route))
        {
            await ErrorAsync(context, 404, "404000", "Url Not Found");
            return;
        }
        var (account, code, message) = Authenticate(context.Request, path, now);
        if (account is null)
        {
            await ErrorAsync(context, 401, code!, message!);
            return;
        }
        if (_options.KuCoin.Enabled)
        {
            var (remaining, reset) = account.TryCharge(route.Weight, now, _options.KuCoin.PrivateWeightPer30Seconds);
            context.Response.Headers["gw-ratelimit-limit"] = Text(_options.KuCoin.PrivateWeightPer30Seconds);
            context.Response.Headers["gw-ratelimit-remaining"] = Text(Math.Max(0, remaining));
            context.Response.Headers["gw-ratelimit-reset"] = Text(reset);
            if (remaining < 0)
            {
                await ErrorAsync(context, 429, "429000", "Too Many Requests");
                return;
            }
        }
        await route.Handle(new Call(context, account, query, now));
    }

    /// <summary>Headers present, key, timestamp within 5 s, passphrase (v2: base64 HMAC-SHA256(secret, passphrase)),
    /// then the signature over timestamp + GET + path + ?query exactly as sent.</summary>
    private (KuCoinAccount? Account, string? Code, string? Message) Authenticate(HttpRequest request, string path, DateTimeOffset now)
    {
        string? H(string name) => request.Headers[name].FirstOrDefault();
        var (key, sign, timestamp, passphrase) = (H("KC-API-KEY"), H("KC-API-SIGN"), H("KC-API-TIMESTAMP"), H("KC-API-PASSPHRASE"));
        if (key is null || sign is null || timestamp is null || passphrase is null) return (null, "400001", "Please check the header of your request for KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE");
        if (!_byKey.TryGetValue(key, out var account)) return (null, "400003", "KC-API-KEY not exists");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(now.ToUnixTimeMilliseconds() - ts) > (long)TimestampWindow.TotalMilliseconds)
            return (null, "400002", "KC-API-TIMESTAMP Invalid -- Time differs from server time by more than 5 seconds");
        var expectedPassphrase = H("KC-API-KEY-VERSION") == "2" ? Hmac(account.Key.ApiSecret, account.Key.Passphrase!) : account.Key.Passphrase!;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(passphrase), Encoding.UTF8.GetBytes(expectedPassphrase)))
            return (null, "400004", "Invalid KC-API-PASSPHRASE");
        var expected = Hmac(account.Key.ApiSecret, timestamp + request.Method.ToUpperInvariant() + path + (request.QueryString.Value ?? ""));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sign), Encoding.UTF8.GetBytes(expected)))
            return (null, "400005", "Invalid KC-API-SIGN");
        return (account, null, null);
    }

    internal static string Hmac(string secret, string text) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    public Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                context.Response.Headers["gw-ratelimit-limit"] = Text(_options.KuCoin.PrivateWeightPer30Seconds);
                context.Response.Headers["gw-ratelimit-remaining"] = "0";
                context.Response.Headers["gw-ratelimit-reset"] = Text(fault.RetryAfterSeconds * 1000L);
                return ErrorAsync(context, fault.StatusCode ?? 429, "429000", "Too Many Requests");
            case FaultKind.Maintenance when path == "/api/v1/status":
                return OkAsync(context, new { status = "close", msg = "system maintenance" });
            case FaultKind.Maintenance:
                return ErrorAsync(context, fault.StatusCode ?? 503, "503000", "Service unavailable: system maintenance");
            default:
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync($"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>");
        }
    }

    private static object SymbolJson(KuCoinSymbol s) => new
    {
        symbol = s.Symbol, name = s.Symbol, baseCurrency = s.Base, quoteCurrency = s.Quote, feeCurrency = s.Quote, market = s.Quote == "BTC" ? "BTC" : "USDS",
        baseMinSize = Plain(s.BaseMinSize), quoteMinSize = "0.01", baseMaxSize = "10000000000", quoteMaxSize = "99999999",
        baseIncrement = Plain(s.BaseIncrement), quoteIncrement = "0.000001", priceIncrement = Plain(s.PriceIncrement), priceLimitRate = "0.1",
        minFunds = Plain(s.MinFunds), isMarginEnabled = true, enableTrading = s.EnableTrading,
    };

    private Task Stats(HttpContext context, IReadOnlyDictionary<string, string> query, DateTimeOffset now)
    {
        if (!query.TryGetValue("symbol", out var id) || !_bySymbol.TryGetValue(id, out var s))
            return ErrorAsync(context, 400, "900001", "symbol not exists");
        var t = DayOf(s, now);
        return OkAsync(context, new
        {
            time = now.ToUnixTimeMilliseconds(), symbol = id, buy = Plain(t.Last - s.PriceIncrement), sell = Plain(t.Last + s.PriceIncrement),
            changeRate = Plain(Math.Round((t.Last - t.Open) / t.Open, 4)), changePrice = Plain(t.Last - t.Open), high = Plain(t.High),
            low = Plain(t.Low), vol = Plain(t.Vol), volValue = Plain(Math.Round(t.Vol * t.Last, 8)),
            last = Plain(t.Last), averagePrice = Plain(t.Last), takerFeeRate = "0.001", makerFeeRate = "0.001", takerCoefficient = "1", makerCoefficient = "1",
        });
    }

    /// <summary>A symbol's day, the same for market/stats and market/allTickers.</summary>
    private static (decimal Last, decimal Open, decimal High, decimal Low, decimal Vol) DayOf(KuCoinSymbol s, DateTimeOffset now)
    {
        var day = now.ToUnixTimeSeconds() / 86400;
        var move = (decimal)(Deterministic.Unit(Deterministic.Hash("kucoin-stats/" + s.Symbol, day)) * 0.1 - 0.05);
        var last = Math.Max(s.PriceIncrement, Deterministic.RoundDown(s.ReferencePrice, s.PriceIncrement));
        var open = Math.Max(s.PriceIncrement, Deterministic.RoundDown(s.ReferencePrice * (1 - move), s.PriceIncrement));
        var vol = Math.Round(1_000_000m / AssetCatalog.UsdPrice(s.Base), 8);
        return (last, open, Math.Max(last, open) + s.PriceIncrement, Math.Max(s.PriceIncrement, Math.Min(last, open) - s.PriceIncrement), vol);
    }

    private Task Accounts_(Call call) => OkAsync(call.Context, call.Account.Lines.Select((l, i) => new
    {
        id = (Deterministic.Hash("kucoin-account/" + call.Account.Key.Name, i).ToString("x16") + "00000000")[..24],
        currency = l.Currency, type = l.Type, balance = Plain(l.Available + l.Holds), available = Plain(l.Available), holds = Plain(l.Holds),
    }));

    /// <summary>A window of at most 7 days (startAt/endAt, ms; the last 7 days when neither is given), newest first,
    /// <c>currentPage</c>/<c>pageSize</c> (10..500, default 50).</summary>
    private Task Fills(Call call)
    {
        var q = call.Query;
        long? Num(string name) => q.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var nowMs = call.Now.ToUnixTimeMilliseconds();
        var (start, end) = (Num("startAt"), Num("endAt")) switch
        {
            ({ } s, { } e) => (s, e),
            ({ } s, null) => (s, s + MaxWindowMs),
            (null, { } e) => (e - MaxWindowMs, e),
            _ => (nowMs - MaxWindowMs, nowMs),
        };
        if (end < start || end - start > MaxWindowMs) return ErrorAsync(call.Context, 400, "400100", "the time range cannot exceed 7 days");
        var pageSize = (int)(Num("pageSize") ?? 50);
        var page = (int)(Num("currentPage") ?? 1);
        if (pageSize is < 10 or > 500 || page < 1) return ErrorAsync(call.Context, 400, "400100", "Invalid Parameter.");
        q.TryGetValue("symbol", out var symbol);
        var fills = call.Account.Fills;
        var matching = new List<int>();
        for (var i = fills.FirstAtOrAfter(end + 1) - 1; i >= 0 && fills.TimeMs(i) >= start; i--)
            if (symbol is null || fills.At(i).Symbol.Symbol == symbol) matching.Add(i);
        var totalPage = (matching.Count + pageSize - 1) / pageSize;
        return OkAsync(call.Context, new
        {
            currentPage = page, pageSize, totalNum = matching.Count, totalPage,
            items = matching.Skip((page - 1) * pageSize).Take(pageSize).Select(fills.At).Select(f => new
            {
                symbol = f.Symbol.Symbol, tradeId = f.TradeId, orderId = f.OrderId, counterOrderId = "", side = f.Side, liquidity = f.Maker ? "maker" : "taker",
                forceTaker = false, price = Plain(f.Price), size = Plain(f.Size), funds = Plain(f.Price * f.Size), fee = Plain(f.Fee), feeRate = "0.001",
                feeCurrency = f.Symbol.Quote, stop = "", type = f.Maker ? "limit" : "market", createdAt = f.CreatedAt, tradeType = "TRADE",
            }),
        });
    }

    private Task ApiKey(Call call)
    {
        var key = call.Account.Key;
        var permission = string.Join(",", new[] { "General" }
            .Concat(key.Can(Permission.Trade) ? ["Spot"] : Array.Empty<string>())
            .Concat(key.Can(Permission.Withdraw) ? ["Withdrawal"] : Array.Empty<string>()));
        return OkAsync(call.Context, new
        {
            remark = key.Name, apiKey = key.ApiKey, apiVersion = 2, permission, ipWhitelist = "", createdAt = 1_700_000_000_000L,
            uid = 100_000_000 + (long)(Deterministic.Hash("kucoin-uid/" + key.Name) % 1_000_000), isMaster = true,
        });
    }

    private static Task OkAsync(HttpContext context, object data) => SimJson.WriteAsync(context, 200, new { code = "200000", data });

    private static Task ErrorAsync(HttpContext context, int status, string code, string msg) => SimJson.WriteAsync(context, status, new { code, msg });

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>The docs example's XLM-USDT as published (kucoin-api-docs @7f01bbe "Get Symbols List") plus synthetic pairs.</summary>
    private static IReadOnlyList<KuCoinSymbol> BuildSymbols()
    {
        var list = new List<KuCoinSymbol> { new("XLM-USDT", "XLM", "USDT", true, 0.1m, 0.0001m, 0.000001m, 0.1m, AssetCatalog.UsdPrice("XLM")) };
        foreach (var (quote, count) in new[] { ("USDT", 60), ("USDC", 15), ("BTC", 12) })
        foreach (var asset in AssetCatalog.Crypto(count))
        {
            var id = asset + "-" + quote;
            if (asset == quote || asset is "USDT" or "USDC" || list.Any(s => s.Symbol == id)) continue;
            var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
            if (price <= 0) continue;
            var increment = Step(1m / AssetCatalog.UsdPrice(asset) / 1000m);
            list.Add(new KuCoinSymbol(id, asset, quote, Deterministic.Hash("kucoin-trading/" + id) % 23 != 0, increment * 10, increment,
                Step(price / 10000m), quote == "BTC" ? 0.00001m : 0.1m, AssetCatalog.Significant(price, 6)));
        }
        return list;
    }

    private static decimal Step(decimal value)
    {
        var step = 1m;
        while (step > value && step > 0.0000000001m) step /= 10m;
        while (step * 10 <= value && step < 1000m) step *= 10m;
        return step;
    }

    private IReadOnlyList<KuCoinAccount> SeedAccounts(SimulatorOptions options)
    {
        var epoch = options.DataEpoch;
        var usdt = _symbols.Where(s => s.Quote == "USDT" && s.EnableTrading && s.Base != "XLM").Take(5).ToList();
        return
        [
            new KuCoinAccount(
                new SimulatedAccount("kucoin", "demo", SeededKeys.KuCoinDemoKey, SeededKeys.KuCoinDemoSecret, SeededKeys.KuCoinDemoPassphrase, [Permission.Read, Permission.Trade]),
                [new("BTC", "main", 0.2m, 0m), new("BTC", "trade", 0.15m, 0.02m), new("USDT", "trade", 5000m, 250m), new("XLM", "main", 1200m, 0m)],
                new KuCoinFills("kucoin/demo", [_bySymbol["BTC-USDT"], _bySymbol["XLM-USDT"], .. usdt.Take(3)], 280, epoch.AddDays(-30), epoch)),
            new KuCoinAccount(
                new SimulatedAccount("kucoin", "readonly", SeededKeys.KuCoinReadOnlyKey, SeededKeys.KuCoinReadOnlySecret, SeededKeys.KuCoinReadOnlyPassphrase, [Permission.Read]),
                [new("USDT", "trade", 100m, 0m)],
                new KuCoinFills("kucoin/readonly", [_bySymbol["BTC-USDT"]], 25, epoch.AddDays(-30), epoch)),
            new KuCoinAccount(
                new SimulatedAccount("kucoin", "load", SeededKeys.KuCoinLoadKey, SeededKeys.KuCoinLoadSecret, SeededKeys.KuCoinLoadPassphrase, [Permission.Read, Permission.Trade]),
                [new("USDT", "trade", 1_000_000m, 0m), new("BTC", "trade", 20m, 0m)],
                new KuCoinFills("kucoin/load", usdt, options.LoadAccountTrades, epoch.AddDays(-365), epoch)),
        ];
    }
}
