using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.Okx;

/// <summary>OKX v5, spot (FACTS.md §7): public GETs, signed GETs with OK-ACCESS-KEY/SIGN/TIMESTAMP/PASSPHRASE.
/// Answers are <c>{"code":"0","msg":"","data":[...]}</c>; authentication failures come with HTTP 401, the rate limit
/// with HTTP 429 and code 50011.</summary>
internal sealed class OkxExchange : IExchangeSimulation
{
    private sealed record Call(HttpContext Context, OkxAccount Account, IReadOnlyDictionary<string, string> Query, DateTimeOffset Now);

    /// <summary>OKX refuses a request whose timestamp is more than 30 seconds from its clock (50102).</summary>
    private static readonly TimeSpan TimestampWindow = TimeSpan.FromSeconds(30);
    private readonly SimulatorOptions _options;
    private readonly OkxMarkets _markets = OkxMarkets.Instance.Value;
    private readonly IReadOnlyList<OkxAccount> _accounts;
    private readonly Dictionary<string, OkxAccount> _byKey;
    private readonly Dictionary<string, Func<HttpContext, IReadOnlyDictionary<string, string>, DateTimeOffset, Task>> _public;
    private readonly Dictionary<string, Func<Call, Task>> _private;

    public OkxExchange(SimulatorOptions options)
    {
        _options = options;
        _accounts = SeedAccounts(options, _markets);
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
        _public = new(StringComparer.Ordinal)
        {
            ["/api/v5/public/time"] = (c, _, now) => OkAsync(c, [new { ts = Text(now.ToUnixTimeMilliseconds()) }]),
            ["/api/v5/system/status"] = (c, _, _) => OkAsync(c, []),
            ["/api/v5/public/instruments"] = Instruments,
            ["/api/v5/market/ticker"] = Ticker,
        };
        _private = new(StringComparer.Ordinal)
        {
            ["/api/v5/account/balance"] = Balance,
            ["/api/v5/account/config"] = Config,
            ["/api/v5/trade/fills-history"] = FillsHistory,
            ["/api/v5/asset/currencies"] = Currencies,
        };
    }

    public string Name => "okx";

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Coins.Select(c => (c.Ccy, c.Avail + c.Frozen)),
        a => Enumerable.Range(0, a.Fills.Count).Select(a.Fills.At)
            .Select(f => new HeldTrade(f.TradeId, f.Instrument.InstId, Bitcain.ExchangeSimulator.Holdings.Ms(f.Ts))));

    public string? ApiKeyOf(HttpRequest request) => request.Headers["OK-ACCESS-KEY"].FirstOrDefault();

    public void ResetState()
    {
        foreach (var a in _accounts) a.ResetState();
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (!HttpMethods.IsGet(context.Request.Method) || !(_public.ContainsKey(path) || _private.ContainsKey(path)))
        {
            await ErrorAsync(context, 404, "50014", "Path not found");
            return;
        }
        if (_public.TryGetValue(path, out var handler))
        {
            await handler(context, query, now);
            return;
        }
        var (account, code, message) = Authenticate(context.Request, path, now);
        if (account is null)
        {
            await ErrorAsync(context, 401, code!, message!);
            return;
        }
        if (_options.Okx.Enabled && !account.TryCharge(path, now, _options.Okx.PrivateRequestsPerTwoSeconds))
        {
            await ErrorAsync(context, 429, "50011", "Too Many Requests");
            return;
        }
        await _private[path](new Call(context, account, query, now));
    }

    /// <summary>Key, timestamp (ISO-8601 ms, within 30 s), passphrase, then the signature over timestamp + GET +
    /// the path OKX sees (/api/v5/...) with its query string exactly as sent.</summary>
    private (OkxAccount? Account, string? Code, string? Message) Authenticate(HttpRequest request, string path, DateTimeOffset now)
    {
        var key = request.Headers["OK-ACCESS-KEY"].FirstOrDefault();
        if (string.IsNullOrEmpty(key) || !_byKey.TryGetValue(key, out var account)) return (null, "50111", "Invalid OK-ACCESS-KEY");
        var timestamp = request.Headers["OK-ACCESS-TIMESTAMP"].FirstOrDefault() ?? "";
        if (!DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return (null, "50112", "Invalid OK-ACCESS-TIMESTAMP");
        if ((now - at).Duration() > TimestampWindow) return (null, "50102", "Timestamp request expired");
        if (request.Headers["OK-ACCESS-PASSPHRASE"].FirstOrDefault() != account.Key.Passphrase) return (null, "50105", "Invalid OK-ACCESS-PASSPHRASE");
        var sign = request.Headers["OK-ACCESS-SIGN"].FirstOrDefault();
        var prehash = timestamp + request.Method.ToUpperInvariant() + path + (request.QueryString.Value ?? "");
        if (string.IsNullOrEmpty(sign) || !OkxSignature.Verify(account.Key.ApiSecret, prehash, sign)) return (null, "50113", "Invalid Sign");
        return (account, null, null);
    }

    public Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                if (fault.StatusCode is 429 or null) context.Response.Headers.RetryAfter = Text(fault.RetryAfterSeconds);
                return ErrorAsync(context, fault.StatusCode ?? 429, "50011", "Too Many Requests");
            case FaultKind.Maintenance when path == "/api/v5/system/status":
                return OkAsync(context, [new
                {
                    title = "Spot System Upgrade", state = "ongoing", begin = Text(_options.Time.GetUtcNow().AddMinutes(-10).ToUnixTimeMilliseconds()),
                    end = Text(_options.Time.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds()), href = "", serviceType = "0", system = "unified",
                    scheDesc = "", maintType = "1", env = "1",
                }]);
            case FaultKind.Maintenance:
                return ErrorAsync(context, fault.StatusCode ?? 503, "50001", "Service temporarily unavailable. Please try again later");
            default:
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync($"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>");
        }
    }

    private async Task Instruments(HttpContext context, IReadOnlyDictionary<string, string> query, DateTimeOffset now)
    {
        // Only spot is simulated: the derivative types are valid requests that list nothing.
        if (query.GetValueOrDefault("instType") is "FUTURES" or "SWAP" or "OPTION")
        {
            await OkAsync(context, []);
            return;
        }
        if (query.GetValueOrDefault("instType") != "SPOT")
        {
            await ErrorAsync(context, 400, "51000", "Parameter instType error");
            return;
        }
        var list = query.TryGetValue("instId", out var id) ? _markets.Instruments.Where(i => i.InstId == id) : _markets.Instruments;
        var json = new StringBuilder("{\"code\":\"0\",\"msg\":\"\",\"data\":[");
        json.AppendJoin(',', list.Select(i => i.Json));
        json.Append("]}");
        await SimJson.WriteRawAsync(context, 200, json.ToString());
    }

    private Task Ticker(HttpContext context, IReadOnlyDictionary<string, string> query, DateTimeOffset now)
    {
        if (!query.TryGetValue("instId", out var id) || !_markets.ById.TryGetValue(id, out var i))
            return ErrorAsync(context, 400, "51001", "Instrument ID does not exist");
        var day = now.ToUnixTimeSeconds() / 86400;
        var move = (decimal)(Deterministic.Unit(Deterministic.Hash("okx-ticker/" + id, day)) * 0.1 - 0.05);
        var last = Math.Max(i.TickSz, Deterministic.RoundDown(i.ReferencePrice, i.TickSz));
        var open = Math.Max(i.TickSz, Deterministic.RoundDown(i.ReferencePrice * (1 - move), i.TickSz));
        var vol = Math.Round(1_000_000m / AssetCatalog.UsdPrice(i.BaseCcy), 8);
        return OkAsync(context, [new
        {
            instType = "SPOT", instId = id, last = Plain(last), lastSz = Plain(i.MinSz), askPx = Plain(last + i.TickSz), askSz = "1",
            bidPx = Plain(last - i.TickSz), bidSz = "1", open24h = Plain(open), high24h = Plain(Math.Max(last, open) + i.TickSz),
            low24h = Plain(Math.Max(i.TickSz, Math.Min(last, open) - i.TickSz)), volCcy24h = Plain(Math.Round(vol * last, 8)), vol24h = Plain(vol),
            ts = Text(now.ToUnixTimeMilliseconds()), sodUtc0 = Plain(open), sodUtc8 = Plain(open),
        }]);
    }

    private Task Balance(Call call) => OkAsync(call.Context, [new
    {
        totalEq = "0", uTime = Text(call.Now.ToUnixTimeMilliseconds()),
        details = call.Account.Coins.Select(c => new
        {
            ccy = c.Ccy, availBal = Plain(c.Avail), frozenBal = Plain(c.Frozen), cashBal = Plain(c.Avail + c.Frozen), eq = Plain(c.Avail + c.Frozen),
            uTime = Text(call.Now.ToUnixTimeMilliseconds()),
        }),
    }]);

    /// <summary>GET /api/v5/asset/currencies: one chain per currency a spot instrument trades, open for deposit and
    /// withdrawal; <c>ccy=</c> narrows (comma-separated, as OKX takes it).</summary>
    private Task Currencies(Call call)
    {
        var ccys = _markets.Instruments.SelectMany(i => new[] { i.BaseCcy, i.QuoteCcy }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        if (call.Query.GetValueOrDefault("ccy") is { Length: > 0 } only)
            ccys = ccys.Where(only.Split(',').Contains).Order(StringComparer.Ordinal);
        return OkAsync(call.Context, ccys.Select(ccy => (object)new
        {
            ccy, name = ccy, logoLink = "", chain = ccy + "-" + ccy, canDep = true, canWd = true, canInternal = true,
            minDep = "0.00000001", minWd = "0.001", maxWd = "10000000", wdTickSz = "8", wdQuota = "10000000", usedWdQuota = "0",
            minFee = "0.0001", maxFee = "0.0002", mainNet = true, needTag = false, minDepArrivalConfirm = "1", minWdUnlockConfirm = "2",
            depQuotaFixed = "", usedDepQuotaFixed = "", depQuoteDailyLayer2 = "", burningFeeRate = "", ctAddr = "",
        }).ToArray());
    }

    private Task Config(Call call)
    {
        var key = call.Account.Key;
        var perm = string.Join(",", new[] { "read_only" }
            .Concat(key.Can(Permission.Trade) ? ["trade"] : Array.Empty<string>())
            .Concat(key.Can(Permission.Withdraw) ? ["withdraw"] : Array.Empty<string>()));
        return OkAsync(call.Context, [new
        {
            acctLv = "2", autoLoan = false, ip = "", label = key.Name, level = "Lv1", perm, posMode = "net_mode",
            uid = Text(10_000_000_000_000_000L + (long)(Deterministic.Hash("okx-uid/" + key.Name) % 1_000_000)), roleType = "0",
        }]);
    }

    /// <summary>Newest first; <c>after</c> = a billId, older than it; <c>begin</c>/<c>end</c> ms filter on ts; limit ≤ 100.</summary>
    private Task FillsHistory(Call call)
    {
        var q = call.Query;
        if (q.GetValueOrDefault("instType") != "SPOT") return ErrorAsync(call.Context, 400, "51000", "Parameter instType error");
        long? Num(string name) => q.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var limit = (int)(Num("limit") ?? 100);
        if (limit is < 1 or > 100) return ErrorAsync(call.Context, 400, "51000", "Parameter limit error");
        var fills = call.Account.Fills;
        var top = Num("after") is { } after ? fills.IndexOfBill(after) : fills.Count; // exclusive
        // OKX keeps three months of fills-history.
        var oldest = Math.Max(Num("begin") ?? long.MinValue, call.Now.AddDays(-90).ToUnixTimeMilliseconds());
        var newest = Num("end") ?? long.MaxValue;
        q.TryGetValue("instId", out var instId);
        var page = new List<OkxFill>();
        for (var i = top - 1; i >= 0 && page.Count < limit; i--)
        {
            var ts = fills.TimeMs(i);
            if (ts < oldest) break;
            if (ts > newest) continue;
            var f = fills.At(i);
            if (instId is null || f.Instrument.InstId == instId) page.Add(f);
        }
        return OkAsync(call.Context, page.Select(f => (object)new
        {
            instType = "SPOT", instId = f.Instrument.InstId, tradeId = f.TradeId, ordId = f.OrdId, clOrdId = "", billId = Text(f.BillId), tag = "",
            fillPx = Plain(f.Px), fillSz = Plain(f.Sz), side = f.Side, posSide = "net", execType = f.Maker ? "M" : "T", feeCcy = f.FeeCcy,
            fee = Plain(f.Fee), ts = Text(f.Ts), fillTime = Text(f.Ts),
        }).ToArray());
    }

    private static Task OkAsync(HttpContext context, object[] data) => SimJson.WriteAsync(context, 200, new { code = "0", msg = "", data });

    private static Task ErrorAsync(HttpContext context, int status, string code, string msg) =>
        SimJson.WriteAsync(context, status, new { code, msg, data = Array.Empty<object>() });

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<OkxAccount> SeedAccounts(SimulatorOptions options, OkxMarkets markets)
    {
        var epoch = options.DataEpoch;
        var usdt = markets.Instruments.Where(i => i.QuoteCcy == "USDT" && i.State == "live").Take(6).ToList();
        return
        [
            new OkxAccount(
                new SimulatedAccount("okx", "demo", SeededKeys.OkxDemoKey, SeededKeys.OkxDemoSecret, SeededKeys.OkxDemoPassphrase, [Permission.Read, Permission.Trade]),
                [new("USDT", 94.42612990333333m, 5.468566666666667m), new("BTC", 0.25m, 0.01m), new("ETH", 3m, 0m), new("USD", 1000m, 0m)],
                new OkxFills("okx/demo", [markets.ById["BTC-USD"], markets.ById["ETH-USD"], .. usdt.Take(3)], 250, epoch.AddDays(-30), epoch)),
            new OkxAccount(
                new SimulatedAccount("okx", "readonly", SeededKeys.OkxReadOnlyKey, SeededKeys.OkxReadOnlySecret, SeededKeys.OkxReadOnlyPassphrase, [Permission.Read]),
                [new("USDT", 300m, 0m), new("BTC", 0.005m, 0m)],
                new OkxFills("okx/readonly", [markets.ById["BTC-USD"]], 30, epoch.AddDays(-30), epoch)),
            new OkxAccount(
                new SimulatedAccount("okx", "load", SeededKeys.OkxLoadKey, SeededKeys.OkxLoadSecret, SeededKeys.OkxLoadPassphrase, [Permission.Read, Permission.Trade]),
                [new("USDT", 1_000_000m, 0m), new("BTC", 20m, 0m)],
                new OkxFills("okx/load", usdt, options.LoadAccountTrades, epoch.AddDays(-80), epoch)),
        ];
    }
}
