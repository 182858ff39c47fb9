using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.GateIo;

/// <summary>Gate.io v4 spot payloads to the unified models (gateapi-python docs: CurrencyPair, Ticker, SpotAccount, Trade).</summary>
public static class GateIoParsers
{
    public static DateTimeOffset ServerTime(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return JsonValues.FromUnixMs(doc.RootElement.Long("server_time"));
    }

    /// <summary>precision and amount_precision are counts of decimals; the unified precision is the step they imply.</summary>
    public static IReadOnlyList<Market> Markets(string body, decimal maker, decimal taker)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.EnumerateArray().Select(p =>
        {
            var @base = AssetCodes.Normalize("gate_io", p.Str("base")!);
            var quote = AssetCodes.Normalize("gate_io", p.Str("quote")!);
            decimal? Step(string property) => p.Prop(property) is { } d && d.ValueKind == JsonValueKind.Number ? Pow10(-d.GetInt32()) : null;
            var fee = p.DecOrNull("fee") is { } percent ? JsonValues.Trim(percent / 100m) : (decimal?)null; // "0.2" means 0.2 %
            return new Market($"{@base}/{quote}", p.Str("id")!, @base, quote, p.Str("trade_status") == "tradable",
                new MarketPrecision(Step("amount_precision"), Step("precision")),
                new MarketLimits(new MinMax(p.DecOrNull("min_base_amount"), p.DecOrNull("max_base_amount")),
                    new MinMax(p.DecOrNull("min_quote_amount"), p.DecOrNull("max_quote_amount")), MinMax.None),
                fee ?? maker, fee ?? taker);
        }).ToList();
    }

    private static decimal Pow10(int exponent)
    {
        var value = 1m;
        for (var i = 0; i > exponent; i--) value /= 10m;
        return value;
    }

    public static Ticker Ticker(string body, Market market, DateTimeOffset now)
    {
        using var doc = JsonDocument.Parse(body);
        var t = doc.RootElement.EnumerateArray().First(x => x.Str("currency_pair") == market.ExchangeSymbol);
        var last = t.DecOrNull("last");
        var pct = t.DecOrNull("change_percentage");
        // Gate sends no open; it is implied by last and the percentage change.
        decimal? open = last is { } l && pct is { } p && p != -100m ? Math.Round(l / (1 + p / 100m), 12) : null;
        return new Ticker(market.Symbol, market.ExchangeSymbol, t.DecOrNull("highest_bid"), t.DecOrNull("lowest_ask"), last,
            open is { } o ? JsonValues.Trim(o) : null, t.DecOrNull("high_24h"), t.DecOrNull("low_24h"), t.DecOrNull("base_volume"), t.DecOrNull("quote_volume"),
            last is { } l2 && open is { } o2 ? JsonValues.Trim(l2 - o2) : null, pct, now);
    }

    public static IReadOnlyDictionary<string, Balance> Balances(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.EnumerateArray().Select(a =>
        {
            var code = AssetCodes.Normalize("gate_io", a.Str("currency")!);
            return new Balance(code, a.DecOrNull("available") ?? 0m, a.DecOrNull("locked") ?? 0m);
        }).ToDictionary(b => b.Currency, StringComparer.Ordinal);
    }

    public static IReadOnlyList<Trade> Trades(string body, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.EnumerateArray().Select(t =>
        {
            var id = t.Str("currency_pair")!;
            var market = marketOf(id);
            var price = t.Dec("price");
            var amount = t.Dec("amount");
            var ms = t.Str("create_time_ms") is { } text
                ? (long)decimal.Truncate(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))
                : t.Long("create_time") * 1000;
            return new Trade(t.Str("id")!, t.Str("order_id"), market?.Symbol ?? id.Replace('_', '/'), id,
                t.Str("side") == "sell" ? TradeSide.Sell : TradeSide.Buy, price, amount, price * amount, t.DecOrNull("fee"),
                t.Str("fee_currency") is { Length: > 0 } c ? AssetCodes.Normalize("gate_io", c) : null, JsonValues.FromUnixMs(ms),
                t.Str("role") switch { "maker" => TradeLiquidity.Maker, "taker" => TradeLiquidity.Taker, _ => null });
        }).ToList();
    }
}
