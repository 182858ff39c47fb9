using System.Text.Json;

namespace Bitcain.Exchanges.KuCoin;

/// <summary>KuCoin spot payloads to the unified models (field names per kucoin-api-docs).</summary>
public static class KuCoinParsers
{
    private static JsonElement Data(JsonDocument doc) => doc.RootElement.GetProperty("data");

    public static DateTimeOffset ServerTime(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return JsonValues.FromUnixMs(Data(doc).Long());
    }

    /// <summary>status: open, close (maintenance) or cancelonly (only cancellations accepted).</summary>
    public static (ExchangeSystemStatus Status, string? Message) Status(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var data = Data(doc);
        return (data.Str("status") switch
        {
            "open" => ExchangeSystemStatus.Normal,
            "cancelonly" => ExchangeSystemStatus.Limited,
            _ => ExchangeSystemStatus.Maintenance,
        }, data.Str("msg") is { Length: > 0 } m ? m : null);
    }

    public static IReadOnlyList<Market> Markets(string body, decimal maker, decimal taker)
    {
        using var doc = JsonDocument.Parse(body);
        return Data(doc).EnumerateArray().Select(s =>
        {
            var @base = AssetCodes.Normalize("kucoin", s.Str("baseCurrency")!);
            var quote = AssetCodes.Normalize("kucoin", s.Str("quoteCurrency")!);
            return new Market($"{@base}/{quote}", s.Str("symbol")!, @base, quote, s.Bool("enableTrading"),
                new MarketPrecision(s.DecOrNull("baseIncrement"), s.DecOrNull("priceIncrement")),
                new MarketLimits(new MinMax(s.DecOrNull("baseMinSize"), s.DecOrNull("baseMaxSize")),
                    new MinMax(s.DecOrNull("minFunds") ?? s.DecOrNull("quoteMinSize"), s.DecOrNull("quoteMaxSize")), MinMax.None),
                maker, taker);
        }).ToList();
    }

    /// <summary>market/stats: buy/sell are the best bid/ask, vol is base, volValue quote; open = last - changePrice.</summary>
    public static Ticker Ticker(string body, Market market)
    {
        using var doc = JsonDocument.Parse(body);
        var t = Data(doc);
        var last = t.DecOrNull("last");
        var change = t.DecOrNull("changePrice");
        return new Ticker(market.Symbol, market.ExchangeSymbol, t.DecOrNull("buy"), t.DecOrNull("sell"), last,
            last is { } l && change is { } c ? l - c : null, t.DecOrNull("high"), t.DecOrNull("low"), t.DecOrNull("vol"), t.DecOrNull("volValue"),
            change, t.DecOrNull("changeRate") is { } rate ? JsonValues.Trim(rate * 100m) : null, JsonValues.FromUnixMs(t.Long("time")));
    }

    /// <summary>One line per account type (main, trade, margin...); a currency's holding is their sum.</summary>
    public static IReadOnlyDictionary<string, Balance> Balances(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var a in Data(doc).EnumerateArray())
        {
            var code = AssetCodes.Normalize("kucoin", a.Str("currency")!);
            var previous = balances.GetValueOrDefault(code);
            balances[code] = new Balance(code, (previous?.Free ?? 0m) + (a.DecOrNull("available") ?? 0m), (previous?.Locked ?? 0m) + (a.DecOrNull("holds") ?? 0m));
        }
        return balances;
    }

    public static (IReadOnlyList<Trade> Trades, int CurrentPage, int TotalPage) Fills(string body, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(body);
        var data = Data(doc);
        var trades = data.GetProperty("items").EnumerateArray().Select(f =>
        {
            var id = f.Str("symbol")!;
            var market = marketOf(id);
            var price = f.Dec("price");
            var size = f.Dec("size");
            return new Trade(f.Str("tradeId")!, f.Str("orderId"), market?.Symbol ?? id.Replace('-', '/'), id,
                f.Str("side") == "sell" ? TradeSide.Sell : TradeSide.Buy, price, size, f.DecOrNull("funds") ?? price * size, f.DecOrNull("fee"),
                f.Str("feeCurrency") is { Length: > 0 } ccy ? AssetCodes.Normalize("kucoin", ccy) : null, JsonValues.FromUnixMs(f.Long("createdAt")),
                f.Str("liquidity") switch { "maker" => TradeLiquidity.Maker, "taker" => TradeLiquidity.Taker, _ => null });
        }).ToList();
        return (trades, (int)data.Long("currentPage"), (int)data.Long("totalPage"));
    }

    /// <summary>user/api-key <c>permission</c>: "General" reads, "Spot" trades spot, "Withdrawal" withdraws.</summary>
    public static KeyPermissions Permissions(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var perms = (Data(doc).Str("permission") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new KeyPermissions(true, perms.Contains("Spot"), perms.Contains("Withdrawal"));
    }
}
