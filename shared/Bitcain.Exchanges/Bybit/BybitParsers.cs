using System.Text.Json;

namespace Bitcain.Exchanges.Bybit;

/// <summary>Bybit v5 spot payloads to the unified models (field names per docs/v5/market, account, order, user).</summary>
public static class BybitParsers
{
    private static JsonElement Result(JsonElement root) => root.GetProperty("result");

    public static DateTimeOffset ServerTime(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var result = Result(doc.RootElement);
        // timeNano is the server's clock in nanoseconds; whole milliseconds like every other client.
        return result.Str("timeNano") is { Length: > 6 } nano
            ? JsonValues.FromUnixMs(long.Parse(nano[..^6], System.Globalization.CultureInfo.InvariantCulture))
            : DateTimeOffset.FromUnixTimeSeconds(result.Long("timeSecond"));
    }

    public static (IReadOnlyList<Market> Markets, string? NextCursor) Markets(string body, decimal maker, decimal taker)
    {
        using var doc = JsonDocument.Parse(body);
        var result = Result(doc.RootElement);
        var markets = new List<Market>();
        foreach (var i in result.GetProperty("list").EnumerateArray())
        {
            var lot = i.Prop("lotSizeFilter") ?? default;
            var price = i.Prop("priceFilter") ?? default;
            var @base = AssetCodes.Normalize("bybit", i.Str("baseCoin")!);
            var quote = AssetCodes.Normalize("bybit", i.Str("quoteCoin")!);
            markets.Add(new Market($"{@base}/{quote}", i.Str("symbol")!, @base, quote, i.Str("status") == "Trading",
                new MarketPrecision(lot.DecOrNull("basePrecision"), price.DecOrNull("tickSize")),
                new MarketLimits(
                    new MinMax(lot.DecOrNull("minOrderQty"), lot.DecOrNull("maxOrderQty")),
                    new MinMax(lot.DecOrNull("minOrderAmt"), lot.DecOrNull("maxOrderAmt")),
                    MinMax.None),
                maker, taker));
        }
        return (markets, NonEmpty(result.Str("nextPageCursor")));
    }

    public static Ticker Ticker(string body, Market market)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var t = Result(root).GetProperty("list").EnumerateArray().FirstOrDefault(x => x.Str("symbol") == market.ExchangeSymbol);
        if (t.ValueKind != JsonValueKind.Object) throw new KeyNotFoundException("symbol not in the ticker list");
        var last = t.DecOrNull("lastPrice");
        var open = t.DecOrNull("prevPrice24h");
        // price24hPcnt is a fraction (0.0068 = 0.68 %); the contract's percentage is in percent.
        var pct = t.DecOrNull("price24hPcnt") is { } fraction ? JsonValues.Trim(fraction * 100m) : (decimal?)null;
        return new Ticker(market.Symbol, market.ExchangeSymbol, t.DecOrNull("bid1Price"), t.DecOrNull("ask1Price"), last, open,
            t.DecOrNull("highPrice24h"), t.DecOrNull("lowPrice24h"), t.DecOrNull("volume24h"), t.DecOrNull("turnover24h"),
            last is { } l && open is { } o ? l - o : null, pct, JsonValues.FromUnixMs(root.Long("time")));
    }

    /// <summary>Unified account: walletBalance is the holding, locked the part held by open spot orders.</summary>
    public static IReadOnlyDictionary<string, Balance> Balances(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var account in Result(doc.RootElement).GetProperty("list").EnumerateArray())
        foreach (var c in account.GetProperty("coin").EnumerateArray())
        {
            var code = AssetCodes.Normalize("bybit", c.Str("coin")!);
            var total = c.DecOrNull("walletBalance") ?? 0m;
            var locked = c.DecOrNull("locked") ?? 0m;
            var previous = balances.GetValueOrDefault(code);
            balances[code] = new Balance(code, (previous?.Free ?? 0m) + total - locked, (previous?.Locked ?? 0m) + locked);
        }
        return balances;
    }

    public static (IReadOnlyList<Trade> Trades, string? NextCursor) Executions(string body, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(body);
        var result = Result(doc.RootElement);
        var trades = new List<Trade>();
        foreach (var e in result.GetProperty("list").EnumerateArray())
        {
            if (e.Str("execType") is { } type && type != "Trade") continue; // funding, settlement: not fills
            var id = e.Str("symbol")!;
            var market = marketOf(id);
            var price = e.Dec("execPrice");
            var amount = e.Dec("execQty");
            var fee = e.DecOrNull("execFee");
            trades.Add(new Trade(e.Str("execId")!, e.Str("orderId"), market?.Symbol ?? id, id,
                string.Equals(e.Str("side"), "Sell", StringComparison.OrdinalIgnoreCase) ? TradeSide.Sell : TradeSide.Buy,
                price, amount, e.DecOrNull("execValue") ?? price * amount, fee,
                NonEmpty(e.Str("feeCurrency")) is { } currency ? AssetCodes.Normalize("bybit", currency) : null,
                JsonValues.FromUnixMs(e.Long("execTime")),
                e.Prop("isMaker") is { ValueKind: JsonValueKind.True or JsonValueKind.False } maker
                    ? maker.GetBoolean() ? TradeLiquidity.Maker : TradeLiquidity.Taker : null));
        }
        return (trades, NonEmpty(result.Str("nextPageCursor")));
    }

    /// <summary>
    /// query-api: <c>readOnly</c> 1 means the key cannot trade whatever it lists; spot trading is <c>Spot:["SpotTrade"]</c>,
    /// withdrawals <c>Wallet:[...,"Withdraw"]</c>. A key that answers this call can read.
    /// </summary>
    public static KeyPermissions Permissions(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var result = Result(doc.RootElement);
        var readOnly = result.Str("readOnly") == "1";
        bool Has(string group, string permission) =>
            result.Prop("permissions")?.Prop(group) is { ValueKind: JsonValueKind.Array } list &&
            list.EnumerateArray().Any(p => p.GetString() == permission);
        return new KeyPermissions(true, !readOnly && Has("Spot", "SpotTrade"), !readOnly && Has("Wallet", "Withdraw"));
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
