using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.Bybit;

/// <summary>Bybit v5, spot category (FACTS.md §5, docs/v5): public GETs under /v5/market, signed GETs with the
/// X-BAPI-* headers. Every answer is <c>{"retCode","retMsg","result","retExtInfo","time"}</c>; API errors come back
/// with HTTP 200 and a non-zero retCode.</summary>
internal sealed class BybitExchange : IExchangeSimulation
{
    private sealed record Call(HttpContext Context, BybitAccount Account, IReadOnlyDictionary<string, string> Query, DateTimeOffset Now);

    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);
    private readonly SimulatorOptions _options;
    private readonly BybitMarkets _markets = BybitMarkets.Instance.Value;
    private readonly IReadOnlyList<BybitAccount> _accounts;
    private readonly Dictionary<string, BybitAccount> _byKey;
    private readonly Dictionary<string, Func<HttpContext, IReadOnlyDictionary<string, string>, DateTimeOffset, Task>> _public;
    private readonly Dictionary<string, Func<Call, Task>> _private;

    public BybitExchange(SimulatorOptions options)
    {
        _options = options;
        _accounts = SeedAccounts(options, _markets);
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
        _public = new(StringComparer.Ordinal)
        {
            ["/v5/market/time"] = (c, _, now) => OkAsync(c, now, new
            {
                timeSecond = Text(now.ToUnixTimeSeconds()),
                timeNano = Text(now.ToUnixTimeMilliseconds()) + "000000",
            }),
            ["/v5/market/instruments-info"] = Instruments,
            ["/v5/market/tickers"] = Tickers,
        };
        _private = new(StringComparer.Ordinal)
        {
            ["/v5/account/wallet-balance"] = WalletBalance,
            ["/v5/execution/list"] = Executions,
            ["/v5/user/query-api"] = QueryApi,
            ["/v5/asset/coin/query-info"] = CoinInfo,
            ["/v5/account/info"] = AccountInfo,
        };
    }

    public string Name => "bybit";

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Coins.Select(c => (c.Coin, c.WalletBalance)),
        a => Enumerable.Range(0, a.Executions.Count).Select(a.Executions.At)
            .Select(e => new HeldTrade(e.ExecId, e.Pair.Symbol, Bitcain.ExchangeSimulator.Holdings.Ms(e.TimeMs))));

    public string? ApiKeyOf(HttpRequest request) => request.Headers["X-BAPI-API-KEY"].FirstOrDefault();

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
            context.Response.StatusCode = 404;
            return;
        }
        if (_public.TryGetValue(path, out var publicHandler))
        {
            await publicHandler(context, query, now);
            return;
        }

        var (account, code, message) = Authenticate(context.Request, now);
        if (account is null)
        {
            await ErrorAsync(context, now, code, message!);
            return;
        }
        if (_options.Bybit.Enabled)
        {
            var limit = _options.Bybit.PrivateRequestsPerSecond;
            var remaining = account.TryCharge(path, now, limit);
            context.Response.Headers["X-Bapi-Limit"] = Text(limit);
            context.Response.Headers["X-Bapi-Limit-Status"] = Text(Math.Max(0, remaining));
            context.Response.Headers["X-Bapi-Limit-Reset-Timestamp"] = Text((now.ToUnixTimeSeconds() + 1) * 1000);
            if (remaining < 0)
            {
                await ErrorAsync(context, now, 10006, "Too many visits!");
                return;
            }
        }
        await _private[path](new Call(context, account, query, now));
    }

    /// <summary>Key, then the timestamp window (server - recv_window &lt;= timestamp &lt; server + 1000), then the
    /// signature over timestamp + key + recv_window + the query string exactly as sent (docs/v5/guide.mdx).</summary>
    private (BybitAccount? Account, int Code, string? Message) Authenticate(HttpRequest request, DateTimeOffset now)
    {
        var apiKey = request.Headers["X-BAPI-API-KEY"].FirstOrDefault();
        if (string.IsNullOrEmpty(apiKey) || !_byKey.TryGetValue(apiKey, out var account)) return (null, 10003, "API key is invalid.");
        var timestamp = request.Headers["X-BAPI-TIMESTAMP"].FirstOrDefault() ?? "";
        var recvWindow = request.Headers["X-BAPI-RECV-WINDOW"].FirstOrDefault() ?? "5000";
        var sign = request.Headers["X-BAPI-SIGN"].FirstOrDefault();
        var serverMs = now.ToUnixTimeMilliseconds();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || !long.TryParse(recvWindow, NumberStyles.None, CultureInfo.InvariantCulture, out var window))
            return (null, 10001, "params error: X-BAPI-TIMESTAMP or X-BAPI-RECV-WINDOW");
        if (!(serverMs - window <= ts && ts < serverMs + 1000))
            return (null, 10002, $"invalid request, please check your server timestamp or recv_window param. req_timestamp[{ts}],server_timestamp[{serverMs}],recv_window[{window}]");
        var origin = BybitSignature.OriginString(timestamp, apiKey, recvWindow, (request.QueryString.Value ?? "").TrimStart('?'));
        if (string.IsNullOrEmpty(sign) || !BybitSignature.Verify(account.Key.ApiSecret, origin, sign))
            return (null, 10004, $"error sign! origin_string[{origin}]");
        return (account, 0, null);
    }

    public Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        var now = _options.Time.GetUtcNow();
        switch (fault.Kind)
        {
            case FaultKind.RateLimited when fault.StatusCode is 403:
                // The IP limit: an HTTP 403 with no API envelope (docs/v5/rate-limit).
                context.Response.StatusCode = 403;
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync("access too frequent", context.RequestAborted);
            case FaultKind.RateLimited:
                context.Response.Headers["X-Bapi-Limit"] = Text(_options.Bybit.PrivateRequestsPerSecond);
                context.Response.Headers["X-Bapi-Limit-Status"] = "0";
                context.Response.Headers["X-Bapi-Limit-Reset-Timestamp"] = Text(now.AddSeconds(fault.RetryAfterSeconds).ToUnixTimeMilliseconds());
                return ErrorAsync(context, now, 10006, "Too many visits!", fault.StatusCode ?? 200);
            case FaultKind.Maintenance:
                return ErrorAsync(context, now, 10016, "System is under maintenance", fault.StatusCode ?? 503);
            default:
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync($"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>");
        }
    }

    private Task Instruments(HttpContext context, IReadOnlyDictionary<string, string> query, DateTimeOffset now)
    {
        var category = query.GetValueOrDefault("category");
        // Only spot is simulated: the derivative categories are valid requests that list nothing.
        if (category is "linear" or "inverse" or "option")
            return OkAsync(context, now, new { category, list = Array.Empty<object>(), nextPageCursor = "" });
        if (category != "spot") return ErrorAsync(context, now, 10001, "params error: category only spot is simulated");
        var pairs = query.TryGetValue("symbol", out var symbol) ? _markets.Pairs.Where(p => p.Symbol == symbol) : _markets.Pairs;
        if (query.TryGetValue("status", out var status)) pairs = pairs.Where(p => p.Status == status);
        // Spot answers the whole list at once; nextPageCursor stays empty as on Bybit.
        return OkAsync(context, now, new
        {
            category = "spot",
            list = pairs.Select(p => new
            {
                symbol = p.Symbol, baseCoin = p.BaseCoin, quoteCoin = p.QuoteCoin, innovation = "0", status = p.Status,
                marginTrading = "none", stTag = "0",
                lotSizeFilter = new
                {
                    basePrecision = Plain(p.BasePrecision), quotePrecision = Plain(p.QuotePrecision), minOrderQty = Plain(p.MinOrderQty),
                    maxOrderQty = Plain(p.MaxOrderQty), minOrderAmt = Plain(p.MinOrderAmt), maxOrderAmt = Plain(p.MaxOrderAmt),
                },
                priceFilter = new { tickSize = Plain(p.TickSize) },
            }),
            nextPageCursor = "",
        });
    }

    /// <summary>GET /v5/asset/coin/query-info: every coin a spot pair trades, with one chain open for deposit and
    /// withdrawal (docs/v5/asset/coin-info.mdx); <c>coin=</c> narrows to one.</summary>
    private Task CoinInfo(Call call)
    {
        var coins = _markets.Pairs.SelectMany(p => new[] { p.BaseCoin, p.QuoteCoin }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        if (call.Query.TryGetValue("coin", out var only)) coins = coins.Where(c => c == only).Order(StringComparer.Ordinal);
        return OkAsync(call.Context, call.Now, new
        {
            rows = coins.Select(coin => new
            {
                name = coin, coin, remainAmount = "1000000",
                chains = new[]
                {
                    new
                    {
                        chainType = coin, confirmation = "6", withdrawFee = "0.0001", depositMin = "0", withdrawMin = "0.001",
                        chain = coin, chainDeposit = "1", chainWithdraw = "1", minAccuracy = "8", withdrawPercentageFee = "0",
                        contractAddress = "", safeConfirmNumber = "6",
                    },
                },
            }),
        });
    }

    /// <summary>GET /v5/account/info of a unified trading account (UTA 2.0 pro, docs/v5/account/account-info.mdx).</summary>
    private static Task AccountInfo(Call call) => OkAsync(call.Context, call.Now, new
    {
        unifiedMarginStatus = 6, marginMode = "REGULAR_MARGIN", isMasterTrader = false, spotHedgingStatus = "OFF",
        updatedTime = Text(call.Now.AddDays(-400).ToUnixTimeMilliseconds()), dcpStatus = "OFF", timeWindow = 10, smpGroup = 0,
    });

    private Task Tickers(HttpContext context, IReadOnlyDictionary<string, string> query, DateTimeOffset now)
    {
        if (query.GetValueOrDefault("category") != "spot") return ErrorAsync(context, now, 10001, "params error: category only spot is simulated");
        IEnumerable<BybitPair> pairs = _markets.Pairs;
        if (query.TryGetValue("symbol", out var symbol))
        {
            if (!_markets.BySymbol.TryGetValue(symbol, out var one)) return ErrorAsync(context, now, 10001, "Not supported symbols");
            pairs = [one];
        }
        return OkAsync(context, now, new
        {
            category = "spot",
            list = pairs.Select(p =>
            {
                var day = now.ToUnixTimeSeconds() / 86400;
                var move = (decimal)(Deterministic.Unit(Deterministic.Hash("bybit-ticker/" + p.Symbol, day)) * 0.1 - 0.05);
                var last = Math.Max(p.TickSize, Deterministic.RoundDown(p.ReferencePrice, p.TickSize));
                var prev = Math.Max(p.TickSize, Deterministic.RoundDown(p.ReferencePrice * (1 - move), p.TickSize));
                var volume = Math.Round(1_000_000m / AssetCatalog.UsdPrice(p.BaseCoin), 6);
                return new
                {
                    symbol = p.Symbol, bid1Price = Plain(last - p.TickSize), bid1Size = "1", ask1Price = Plain(last + p.TickSize), ask1Size = "1",
                    lastPrice = Plain(last), prevPrice24h = Plain(prev), price24hPcnt = Plain(Math.Round((last - prev) / prev, 4)),
                    highPrice24h = Plain(Math.Max(last, prev) + p.TickSize), lowPrice24h = Plain(Math.Max(p.TickSize, Math.Min(last, prev) - p.TickSize)),
                    turnover24h = Plain(Math.Round(volume * last, 8)), volume24h = Plain(volume), usdIndexPrice = "",
                };
            }),
        });
    }

    private Task WalletBalance(Call call)
    {
        if (call.Query.GetValueOrDefault("accountType") != "UNIFIED")
            return ErrorAsync(call.Context, call.Now, 10001, "accountType only support UNIFIED.");
        return OkAsync(call.Context, call.Now, new
        {
            list = new[]
            {
                new
                {
                    accountType = "UNIFIED",
                    coin = call.Account.Coins.Select(c => new
                    {
                        coin = c.Coin, walletBalance = Plain(c.WalletBalance), locked = Plain(c.Locked), equity = Plain(c.WalletBalance),
                        usdValue = Plain(Math.Round(c.WalletBalance * AssetCatalog.UsdPrice(c.Coin), 2)), borrowAmount = "0", spotBorrow = "0",
                    }),
                },
            },
        });
    }

    /// <summary>Newest first inside a window of at most 7 days ([startTime, endTime], both inclusive; the last 7 days
    /// when neither is given), at most 100 per page, and an opaque cursor to the next page.</summary>
    private Task Executions(Call call)
    {
        var q = call.Query;
        var category = q.GetValueOrDefault("category");
        // The account holds no derivatives: their categories are valid and empty, as for any spot-only account.
        if (category is "linear" or "inverse" or "option")
            return OkAsync(call.Context, call.Now, new { nextPageCursor = "", category, list = Array.Empty<object>() });
        if (category != "spot") return ErrorAsync(call.Context, call.Now, 10001, "params error: category only spot is simulated");
        long? Ms(string name) => q.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;
        var windowMs = (long)MaxWindow.TotalMilliseconds;
        var (start, end) = (Ms("startTime"), Ms("endTime")) switch
        {
            ({ } s, { } e) => (s, e),
            ({ } s, null) => (s, s + windowMs),
            (null, { } e) => (e - windowMs, e),
            _ => (call.Now.ToUnixTimeMilliseconds() - windowMs, call.Now.ToUnixTimeMilliseconds()),
        };
        if (end < start || end - start > windowMs) return ErrorAsync(call.Context, call.Now, 10001, "params error: The time range is more than 7 days");
        var limit = q.TryGetValue("limit", out var l) && int.TryParse(l, out var n) ? n : 50;
        if (limit is < 1 or > 100) return ErrorAsync(call.Context, call.Now, 10001, "params error: limit must be 1..100");
        var offset = 0;
        if (q.TryGetValue("cursor", out var cursor) && cursor.Length > 0 && !(cursor.StartsWith("p:") && int.TryParse(cursor[2..], out offset)))
            return ErrorAsync(call.Context, call.Now, 10001, "params error: invalid cursor");

        var trades = call.Account.Executions;
        var first = trades.FirstAtOrAfter(start);
        var afterEnd = trades.FirstAtOrAfter(end + 1);
        q.TryGetValue("symbol", out var symbol);
        var matching = new List<BybitExecution>();
        var skipped = 0;
        var more = false;
        for (var i = afterEnd - 1; i >= first; i--)
        {
            var e = trades.At(i);
            if (symbol is not null && e.Pair.Symbol != symbol) continue;
            if (skipped++ < offset) continue;
            if (matching.Count == limit) { more = true; break; }
            matching.Add(e);
        }
        return OkAsync(call.Context, call.Now, new
        {
            nextPageCursor = more ? "p:" + Text(offset + limit) : "",
            category = "spot",
            list = matching.Select(e => new
            {
                symbol = e.Pair.Symbol, orderType = e.IsMaker ? "Limit" : "Market", orderLinkId = "", side = e.Side, orderId = e.OrderId,
                execTime = Text(e.TimeMs), feeCurrency = e.FeeCurrency, isMaker = e.IsMaker, execFee = Plain(e.Fee), feeRate = "0.001",
                execId = e.ExecId, execPrice = Plain(e.Price), orderQty = Plain(e.Qty), orderPrice = Plain(e.Price),
                execValue = Plain(Math.Round(e.Price * e.Qty, 10)), execType = "Trade", execQty = Plain(e.Qty), leavesQty = "0",
                seq = 4_688_000_000L + e.TimeMs % 1_000_000,
            }),
        });
    }

    private Task QueryApi(Call call)
    {
        var key = call.Account.Key;
        var wallet = new List<string> { "AccountTransfer", "SubMemberTransfer" };
        if (key.Can(Permission.Withdraw)) wallet.Add("Withdraw");
        return OkAsync(call.Context, call.Now, new
        {
            id = Text((long)(Deterministic.Hash("bybit-key-id/" + key.Name) % 10_000_000)),
            note = key.Name,
            apiKey = key.ApiKey,
            readOnly = key.Can(Permission.Trade) ? 0 : 1,
            secret = "",
            permissions = new
            {
                ContractTrade = Array.Empty<string>(),
                Spot = key.Can(Permission.Trade) ? new[] { "SpotTrade" } : [],
                Wallet = wallet,
                Options = Array.Empty<string>(),
                Derivatives = Array.Empty<string>(),
                Exchange = new[] { "ExchangeHistory" },
            },
            ips = new[] { "*" },
            type = 1,
            expiredAt = "1970-01-01T00:00:00Z",
            createdAt = "2026-01-01T00:00:00Z",
            uta = 1,
            isMaster = true,
        });
    }

    private static Task OkAsync(HttpContext context, DateTimeOffset now, object result) =>
        SimJson.WriteAsync(context, 200, new { retCode = 0, retMsg = "OK", result, retExtInfo = new { }, time = now.ToUnixTimeMilliseconds() });

    private static Task ErrorAsync(HttpContext context, DateTimeOffset now, int code, string message, int status = 200) =>
        SimJson.WriteAsync(context, status, new { retCode = code, retMsg = message, result = new { }, retExtInfo = new { }, time = now.ToUnixTimeMilliseconds() });

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plain(decimal value) => JsonTrim(value).ToString(CultureInfo.InvariantCulture);

    private static decimal JsonTrim(decimal value) => value / 1.0000000000000000000000000000m;

    private static IReadOnlyList<BybitAccount> SeedAccounts(SimulatorOptions options, BybitMarkets markets)
    {
        var epoch = options.DataEpoch;
        BybitPair P(string symbol) => markets.BySymbol[symbol];
        var usdt = markets.Pairs.Where(p => p.QuoteCoin == "USDT" && p.Status == "Trading").Take(6).ToList();
        return
        [
            new BybitAccount(
                new SimulatedAccount("bybit", "demo", SeededKeys.BybitDemoKey, SeededKeys.BybitDemoSecret, null, [Permission.Read, Permission.Trade]),
                [new("USDT", 25000m, 1200m), new("BTC", 0.35m, 0.05m), new("ETH", 4m, 0m), new("USDC", 800m, 0m), new("SOL", 0.00002m, 0m)],
                new BybitExecutions("bybit/demo", [P("BTCUSDT"), .. usdt.Where(p => p.Symbol != "BTCUSDT").Take(4)], 300, epoch.AddDays(-30), epoch)),
            new BybitAccount(
                new SimulatedAccount("bybit", "readonly", SeededKeys.BybitReadOnlyKey, SeededKeys.BybitReadOnlySecret, null, [Permission.Read]),
                [new("USDT", 500m, 0m), new("BTC", 0.01m, 0m)],
                new BybitExecutions("bybit/readonly", [P("BTCUSDT")], 40, epoch.AddDays(-30), epoch)),
            new BybitAccount(
                new SimulatedAccount("bybit", "load", SeededKeys.BybitLoadKey, SeededKeys.BybitLoadSecret, null, [Permission.Read, Permission.Trade]),
                [new("USDT", 1_000_000m, 0m), new("BTC", 20m, 0m), new("ETH", 300m, 0m)],
                new BybitExecutions("bybit/load", usdt, options.LoadAccountTrades, epoch.AddDays(-365), epoch)),
        ];
    }
}
