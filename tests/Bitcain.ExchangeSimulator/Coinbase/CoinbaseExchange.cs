using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Bitcain.ExchangeSimulator.Coinbase;

/// <summary>
/// Coinbase Advanced Trade (FACTS.md §4) under <c>/api/v3/brokerage</c>: public <c>/time</c> and <c>/market/products[/{id}[/ticker]]</c>;
/// with a CDP token (<see cref="CoinbaseJwt"/>) the same product reads without <c>/market</c>, <c>/accounts</c> (cursor paging,
/// <c>limit</c> ≤250), <c>/orders/historical/fills</c> (newest first, cursor paging, <c>product_ids</c>,
/// <c>start_sequence_timestamp</c>/<c>end_sequence_timestamp</c>) and <c>/key_permissions</c>. A refused token gets Coinbase's
/// plain-text <c>401 Unauthorized</c>; other errors are <c>{"error","error_details","message"}</c> (PERMISSION_DENIED 403,
/// NOT_FOUND 404, INVALID_ARGUMENT 400, RATE_LIMIT_EXCEEDED 429). Payload shapes follow the recorded <c>coinbase.*.json</c>.
/// </summary>
internal sealed partial class CoinbaseExchange : IExchangeSimulation
{
    private const string Api = "/api/v3/brokerage";
    private const int DefaultAccountsLimit = 49;
    private const int MaxAccountsLimit = 250;
    private const int DefaultFillsLimit = 100;
    private const int MaxFillsLimit = 1000;

    private readonly SimulatorOptions _options;
    private readonly CoinbaseMarkets _markets = CoinbaseMarkets.Instance.Value;
    private readonly IReadOnlyList<CoinbaseAccount> _accounts;
    private readonly Dictionary<string, CoinbaseAccount> _byKey;

    public CoinbaseExchange(SimulatorOptions options)
    {
        _options = options;
        _accounts = SeedAccounts(options, _markets);
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
    }

    public string Name => "coinbase";

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Wallets.Select(w => (w.Currency, w.Available + w.Hold)),
        a => Enumerable.Range(0, a.Fills.Count).Select(a.Fills.At).Select(f => new HeldTrade(f.TradeId, f.Product.Id, f.Time)));

    public string? ApiKeyOf(HttpRequest request) => CoinbaseJwt.KeyNameOf(request.Headers.Authorization.FirstOrDefault());

    public void ResetState()
    {
        foreach (var a in _accounts) a.ResetState();
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value);
        var v2 = path.StartsWith(V2Prefix, StringComparison.Ordinal);
        if (HttpMethods.IsGet(context.Request.Method) && v2 && path != V2Accounts)
        {
            await V2PublicAsync(context, path, now);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) || !(v2 || path.StartsWith(Api + "/", StringComparison.Ordinal)))
        {
            await NotFoundAsync(context);
            return;
        }
        var resource = v2 ? path : path[Api.Length..];
        if (resource == "/time")
        {
            await SimJson.WriteAsync(context, 200, new Dictionary<string, string>
            {
                ["iso"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["epochSeconds"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["epochMillis"] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            });
            return;
        }
        if (resource.StartsWith("/market/products", StringComparison.Ordinal))
        {
            await ProductsAsync(context, resource["/market".Length..], query, now);
            return;
        }

        var problem = CoinbaseJwt.Problem(context.Request.Headers.Authorization.FirstOrDefault(), k => _byKey.GetValueOrDefault(k),
            CoinbaseJwt.ExpectedUri(context.Request), now, out var account);
        if (account is null)
        {
            // Coinbase says no more than this; the reason is kept in a header for whoever debugs a client against the simulator.
            context.Response.Headers["X-Simulator-Auth-Problem"] = problem;
            context.Response.StatusCode = 401;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Unauthorized\n", context.RequestAborted);
            return;
        }
        if (_options.Coinbase.Enabled && !account.TryCharge(now, _options.Coinbase.PrivateRequestsPerSecond))
        {
            await RateLimitedAsync(context, 429);
            return;
        }
        if (!account.Key.Can(Permission.Read))
        {
            await ErrorAsync(context, 403, "PERMISSION_DENIED", "Missing required scopes");
            return;
        }
        switch (resource)
        {
            case "/accounts":
                await AccountsAsync(context, account, query);
                return;
            case "/orders/historical/fills":
                await FillsAsync(context, account, query, now);
                return;
            case V2Accounts:
                await V2AccountsAsync(context, account, query);
                return;
            case "/transaction_summary":
                await TransactionSummaryAsync(context);
                return;
            case "/key_permissions":
                await SimJson.WriteAsync(context, 200, new Dictionary<string, object>
                {
                    ["can_view"] = account.Key.Can(Permission.Read), ["can_trade"] = account.Key.Can(Permission.Trade),
                    ["can_transfer"] = account.Key.Can(Permission.Withdraw), ["portfolio_uuid"] = account.PortfolioId, ["portfolio_type"] = "DEFAULT",
                });
                return;
            case var r when r.StartsWith("/products", StringComparison.Ordinal):
                await ProductsAsync(context, r, query, now);
                return;
            default:
                await NotFoundAsync(context);
                return;
        }
    }

    public Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return RateLimitedAsync(context, fault.StatusCode ?? 429);
            case FaultKind.Maintenance:
                return ErrorAsync(context, fault.StatusCode ?? 503, "UNAVAILABLE", "service is under maintenance");
            default:
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync($"<html><head><title>Coinbase</title></head><body><h1>{status}</h1></body></html>");
        }
    }

    /// <summary><c>/products</c>, <c>/products/{id}</c>, <c>/products/{id}/ticker</c> (<c>limit</c> required, as Coinbase's reference says).</summary>
    private Task ProductsAsync(HttpContext context, string resource, Dictionary<string, StringValues> query, DateTimeOffset now)
    {
        var parts = resource.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["products"]:
                var type = query.TryGetValue("product_type", out var t) ? t.ToString() : null;
                var ids = query.TryGetValue("product_ids", out var wanted) ? wanted.Select(w => w!).ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
                var list = _markets.Products.Where(p => (string.IsNullOrEmpty(type) || p.Type == type) && (ids is null || ids.Contains(p.Id)))
                    .Select(p => ProductJson(p, now)).ToList();
                return SimJson.WriteAsync(context, 200, new Dictionary<string, object> { ["products"] = list, ["num_products"] = list.Count });
            case ["products", var id] when _markets.ById.TryGetValue(id, out var product):
                return SimJson.WriteAsync(context, 200, ProductJson(product, now));
            case ["products", var id, "ticker"] when _markets.ById.TryGetValue(id, out var product):
                if (!int.TryParse(query.TryGetValue("limit", out var l) ? l.ToString() : "", NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                    || limit is < 1 or > 1000)
                    return ErrorAsync(context, 400, "INVALID_ARGUMENT", "limit is required and must be 1..1000");
                return SimJson.WriteAsync(context, 200, TickerJson(product, limit, now));
            case ["products", _, ..]:
                return ErrorAsync(context, 404, "NOT_FOUND", "ProductID is invalid");
            default:
                return NotFoundAsync(context);
        }
    }

    /// <summary>The day's price and change, derived from hashes so every run sees the same ticker.</summary>
    private static (decimal Last, decimal ChangePercent, decimal Volume) Day(CoinbaseProduct p, DateTimeOffset now)
    {
        var day = now.ToUnixTimeSeconds() / 86400;
        var move = Deterministic.Unit(Deterministic.Hash("coinbase-ticker/" + p.Id, day)) * 10 - 5;
        var last = Math.Max(p.PriceIncrement, Deterministic.RoundDown(p.ReferencePrice, p.PriceIncrement));
        var volume = Math.Max(p.BaseIncrement, Deterministic.RoundDown(250_000m * AssetCatalog.VolumeScale(p.Base) / Math.Max(0.00000001m, AssetCatalog.UsdPrice(p.Base)), p.BaseIncrement));
        return (last, Math.Round((decimal)move, 8), volume);
    }

    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>Every field of the recorded <c>coinbase.product.BTC-USD.json</c>, in its order.</summary>
    private static Dictionary<string, object?> ProductJson(CoinbaseProduct p, DateTimeOffset now)
    {
        var (last, change, volume) = Day(p, now);
        var name = p.Base == "BTC" ? "Bitcoin" : p.Base;
        return new Dictionary<string, object?>
        {
            ["product_id"] = p.Id, ["price"] = Plain(last), ["price_percentage_change_24h"] = Plain(change), ["volume_24h"] = Plain(volume),
            ["volume_percentage_change_24h"] = "12.5", ["base_increment"] = Plain(p.BaseIncrement), ["quote_increment"] = Plain(p.PriceIncrement),
            ["quote_min_size"] = Plain(p.QuoteMinSize), ["quote_max_size"] = Plain(p.QuoteMaxSize), ["base_min_size"] = Plain(p.BaseMinSize),
            ["base_max_size"] = Plain(p.BaseMaxSize), ["base_name"] = name, ["quote_name"] = p.Quote, ["watched"] = false, ["is_disabled"] = false,
            ["new"] = false, ["status"] = p.Status, ["cancel_only"] = false, ["limit_only"] = false, ["post_only"] = false,
            ["trading_disabled"] = p.TradingDisabled, ["auction_mode"] = false, ["product_type"] = p.Type, ["quote_currency_id"] = p.Quote,
            ["base_currency_id"] = p.Base, ["fcm_trading_session_details"] = null, ["mid_market_price"] = "", ["alias"] = "",
            ["alias_to"] = Array.Empty<string>(), ["base_display_symbol"] = p.Base, ["quote_display_symbol"] = p.Quote, ["view_only"] = false,
            ["price_increment"] = Plain(p.PriceIncrement), ["display_name"] = p.Id, ["product_venue"] = p.Type == "SPOT" ? "CBE" : "FCM",
            ["approximate_quote_24h_volume"] = Plain(Math.Round(volume * last, 2)), ["new_at"] = "2023-01-01T00:00:00Z", ["market_cap"] = "",
            ["base_cbrn"] = "", ["quote_cbrn"] = "", ["product_cbrn"] = "", ["icon_color"] = "", ["icon_url"] = "", ["display_name_overwrite"] = "",
            ["is_alpha_testing"] = false, ["about_description"] = "", ["best_bid_price"] = "", ["best_ask_price"] = "",
        };
    }

    /// <summary>As the recorded <c>coinbase.ticker.BTC-USD.json</c>: the latest trades, newest first, and the best bid and ask.</summary>
    private static Dictionary<string, object> TickerJson(CoinbaseProduct p, int limit, DateTimeOffset now)
    {
        var (last, _, _) = Day(p, now);
        var step = p.PriceIncrement;
        var trades = Enumerable.Range(0, Math.Min(limit, 100)).Select(i =>
        {
            var h = Deterministic.Hash("coinbase-tape/" + p.Id, now.ToUnixTimeSeconds() * 1000 + i);
            var sell = h % 2 == 0;
            return new Dictionary<string, string>
            {
                ["trade_id"] = (995_098_663L - i).ToString(CultureInfo.InvariantCulture), ["product_id"] = p.Id,
                ["price"] = Plain(last), ["size"] = Plain(Math.Max(p.BaseMinSize, p.BaseIncrement * (1 + (long)(h % 5000)))),
                ["time"] = now.AddMilliseconds(-250 - 300 * i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                ["side"] = sell ? "SELL" : "BUY", ["bid"] = "", ["ask"] = "", ["exchange"] = "coinbase",
            };
        }).ToList();
        return new Dictionary<string, object> { ["trades"] = trades, ["best_bid"] = Plain(Math.Max(step, last - step)), ["best_ask"] = Plain(last) };
    }

    /// <summary><c>limit</c> 1..250 (49 by default); the cursor is the uuid of the next account, as opaque to clients as Coinbase's.</summary>
    private static Task AccountsAsync(HttpContext context, CoinbaseAccount account, Dictionary<string, StringValues> query)
    {
        var limit = DefaultAccountsLimit;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxAccountsLimit))
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", "limit must be 1..250");
        var start = 0;
        if (query.TryGetValue("cursor", out var c) && c.ToString() is { Length: > 0 } cursor)
        {
            start = Enumerable.Range(0, account.Wallets.Count).FirstOrDefault(i => AccountId(account, i) == cursor, -1);
            if (start < 0) return ErrorAsync(context, 400, "INVALID_ARGUMENT", "invalid cursor");
        }
        var end = Math.Min(account.Wallets.Count, start + limit);
        var page = Enumerable.Range(start, end - start).Select(i =>
        {
            var w = account.Wallets[i];
            var fiat = w.Currency is "USD" or "EUR" or "GBP";
            return new Dictionary<string, object?>
            {
                ["uuid"] = AccountId(account, i), ["name"] = $"{w.Currency} Wallet", ["currency"] = w.Currency,
                ["available_balance"] = new Dictionary<string, string> { ["value"] = Plain(w.Available), ["currency"] = w.Currency },
                ["default"] = i == 0, ["active"] = true, ["created_at"] = "2021-05-31T09:59:59Z", ["updated_at"] = "2024-01-15T10:30:00Z",
                ["deleted_at"] = null, ["type"] = fiat ? "FIAT" : "CRYPTO", ["ready"] = true,
                ["hold"] = new Dictionary<string, string> { ["value"] = Plain(w.Hold), ["currency"] = w.Currency },
                ["retail_portfolio_id"] = account.PortfolioId,
            };
        }).ToList();
        var hasNext = end < account.Wallets.Count;
        return SimJson.WriteAsync(context, 200, new Dictionary<string, object>
        {
            ["accounts"] = page, ["has_next"] = hasNext, ["cursor"] = hasNext ? AccountId(account, end) : "", ["size"] = page.Count,
        });
    }

    private static string AccountId(CoinbaseAccount account, int i)
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), Deterministic.Hash("coinbase-account/" + account.Key.Name, i));
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), Deterministic.Hash("coinbase-account2/" + account.Key.Name, i));
        return new Guid(bytes).ToString();
    }

    /// <summary>
    /// Newest first from <c>end_sequence_timestamp</c> (or now) back to <c>start_sequence_timestamp</c> (inclusive); <c>product_ids</c>
    /// may repeat; <c>limit</c> 1..1000 (100 by default). The cursor is the index of the next older fill, empty on the last page.
    /// </summary>
    private Task FillsAsync(HttpContext context, CoinbaseAccount account, Dictionary<string, StringValues> query, DateTimeOffset now)
    {
        var limit = DefaultFillsLimit;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxFillsLimit))
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", "limit must be 1..1000");
        if (!TryTime(query, "start_sequence_timestamp", out var start) || !TryTime(query, "end_sequence_timestamp", out var end))
            return ErrorAsync(context, 400, "INVALID_ARGUMENT", "invalid timestamp");
        HashSet<string>? products = null;
        if (query.TryGetValue("product_ids", out var ids))
        {
            products = ids.Select(i => i!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (products.Any(id => !_markets.ById.ContainsKey(id))) return ErrorAsync(context, 400, "INVALID_ARGUMENT", "ProductID is invalid");
        }
        var fills = account.Fills;
        var startMs = start?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var i = fills.FirstAfter((end ?? now).ToUnixTimeMilliseconds()) - 1;
        if (query.TryGetValue("cursor", out var c) && c.ToString() is { Length: > 0 } cursor)
        {
            if (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var at) || at >= fills.Count)
                return ErrorAsync(context, 400, "INVALID_ARGUMENT", "invalid cursor");
            i = Math.Min(i, at);
        }
        var page = new List<CoinbaseFill>();
        for (; i >= 0 && page.Count < limit && fills.Ms(i) >= startMs; i--)
        {
            var fill = fills.At(i);
            if (products is null || products.Contains(fill.Product.Id)) page.Add(fill);
        }
        var more = i >= 0 && fills.Ms(i) >= startMs;
        return SimJson.WriteAsync(context, 200, new Dictionary<string, object>
        {
            ["fills"] = page.Select(f => new Dictionary<string, object>
            {
                ["entry_id"] = f.EntryId, ["trade_id"] = f.TradeId, ["order_id"] = f.OrderId,
                ["trade_time"] = f.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["trade_type"] = "FILL",
                ["price"] = Plain(f.Price), ["size"] = Plain(f.Size), ["commission"] = Plain(f.Commission), ["product_id"] = f.Product.Id,
                ["sequence_timestamp"] = f.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'123Z'", CultureInfo.InvariantCulture),
                ["liquidity_indicator"] = f.Maker ? "MAKER" : "TAKER", ["size_in_quote"] = false, ["user_id"] = account.PortfolioId,
                ["side"] = f.Buy ? "BUY" : "SELL", ["retail_portfolio_id"] = account.PortfolioId,
            }).ToList(),
            ["cursor"] = more ? i.ToString(CultureInfo.InvariantCulture) : "",
        });
    }

    private static bool TryTime(Dictionary<string, StringValues> query, string name, out DateTimeOffset? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        value = parsed;
        return true;
    }

    private static Task RateLimitedAsync(HttpContext context, int status) =>
        ErrorAsync(context, status, "RATE_LIMIT_EXCEEDED", "Too many requests");

    private static Task NotFoundAsync(HttpContext context) => ErrorAsync(context, 404, "NOT_FOUND", "Not Found");

    private static Task ErrorAsync(HttpContext context, int status, string error, string message) =>
        SimJson.WriteAsync(context, status, new Dictionary<string, string> { ["error"] = error, ["error_details"] = message, ["message"] = message });

    private static IReadOnlyList<CoinbaseAccount> SeedAccounts(SimulatorOptions options, CoinbaseMarkets markets)
    {
        var epoch = options.DataEpoch;
        // Coinbase lists an account for every currency it supports, most of them empty: enough here to need two pages of 250.
        var empty = markets.Products.Where(p => p.Type == "SPOT").Select(p => p.Base).Distinct().Select(c => new CoinbaseWallet(c, 0m, 0m)).ToList();
        IReadOnlyList<CoinbaseWallet> With(IEnumerable<CoinbaseWallet> held, int emptyCount)
        {
            var list = held.ToList();
            var extra = empty.Where(e => list.All(h => h.Currency != e.Currency)).ToList();
            for (var i = 0; list.Count < held.Count() + emptyCount; i++)
                list.Add(i < extra.Count ? extra[i] : new CoinbaseWallet($"TOKEN{i.ToString(CultureInfo.InvariantCulture)}", 0m, 0m));
            return list;
        }
        var p = markets.ById;
        var usd = markets.Products.Where(x => x.Quote == "USD" && x.Trades && x.Base is not "BTC" and not "ETH").Take(3);
        CoinbaseProduct[] pick = [p["BTC-USD"], p["ETH-USD"], p["BTC-USDC"], .. usd];
        return
        [
            new CoinbaseAccount(
                new SimulatedAccount("coinbase", "demo", SeededKeys.CoinbaseDemoKey, SeededKeys.CoinbaseDemoSecret, null, [Permission.Read, Permission.Trade]),
                With([new("BTC", 0.4m, 0.03m), new("USD", 1200m, 150m), new("ETH", 1.5m, 0m), new("USDC", 5000m, 200m), new("SOL", 12m, 0m)], 295),
                new CoinbaseFills("coinbase/demo", pick, 310, epoch.AddDays(-30), epoch)),
            new CoinbaseAccount(
                new SimulatedAccount("coinbase", "readonly", SeededKeys.CoinbaseReadOnlyKey, SeededKeys.CoinbaseReadOnlySecret, null, [Permission.Read]),
                With([new("USDC", 300m, 0m), new("BTC", 0.005m, 0m)], 40),
                new CoinbaseFills("coinbase/readonly", [p["BTC-USDC"]], 40, epoch.AddDays(-30), epoch)),
            new CoinbaseAccount(
                new SimulatedAccount("coinbase", "load", SeededKeys.CoinbaseLoadKey, SeededKeys.CoinbaseLoadSecret, null, [Permission.Read, Permission.Trade]),
                With([new("USD", 1_000_000m, 0m), new("BTC", 20m, 0m)], 10),
                new CoinbaseFills("coinbase/load", pick, options.LoadAccountTrades, epoch.AddDays(-365), epoch)),
            new CoinbaseAccount(
                new SimulatedAccount("coinbase", "demo-ed25519", SeededKeys.CoinbaseEd25519Key, SeededKeys.CoinbaseEd25519Secret, null,
                    [Permission.Read, Permission.Trade, Permission.Withdraw]),
                With([new("USD", 100m, 0m), new("BTC", 0.01m, 0.001m)], 5),
                new CoinbaseFills("coinbase/demo-ed25519", [p["BTC-USD"]], 12, epoch.AddDays(-30), epoch)),
        ];
    }
}
