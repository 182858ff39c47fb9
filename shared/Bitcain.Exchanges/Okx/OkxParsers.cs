using System.Text.Json;

namespace Bitcain.Exchanges.Okx;

/// <summary>OKX v5 spot payloads to the unified models.</summary>
public static class OkxParsers
{
    private static IEnumerable<JsonElement> Data(JsonDocument doc) => doc.RootElement.GetProperty("data").EnumerateArray();

    public static DateTimeOffset ServerTime(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return JsonValues.FromUnixMs(Data(doc).First().Long("ts"));
    }

    /// <summary>system/status lists maintenance events; one <c>ongoing</c> means maintenance now.</summary>
    public static (ExchangeSystemStatus Status, string? Message) SystemStatus(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var ongoing = Data(doc).FirstOrDefault(e => e.Str("state") == "ongoing");
        return ongoing.ValueKind == JsonValueKind.Object ? (ExchangeSystemStatus.Maintenance, ongoing.Str("title")) : (ExchangeSystemStatus.Normal, null);
    }

    public static IReadOnlyList<Market> Markets(string body, decimal maker, decimal taker)
    {
        using var doc = JsonDocument.Parse(body);
        return Data(doc).Where(i => i.Str("instType") is null or "SPOT").Select(i =>
        {
            var @base = AssetCodes.Normalize("okx", i.Str("baseCcy")!);
            var quote = AssetCodes.Normalize("okx", i.Str("quoteCcy")!);
            // minSz is the smallest order, lotSz its step; maxLmtSz/maxLmtAmt bound limit orders (amount and cost).
            return new Market($"{@base}/{quote}", i.Str("instId")!, @base, quote, i.Str("state") == "live",
                new MarketPrecision(i.DecOrNull("lotSz"), i.DecOrNull("tickSz")),
                new MarketLimits(new MinMax(i.DecOrNull("minSz"), i.DecOrNull("maxLmtSz")), new MinMax(null, i.DecOrNull("maxLmtAmt")), MinMax.None),
                maker, taker);
        }).ToList();
    }

    public static Ticker Ticker(string body, Market market)
    {
        using var doc = JsonDocument.Parse(body);
        var t = Data(doc).First(x => x.Str("instId") == market.ExchangeSymbol);
        var last = t.DecOrNull("last");
        var open = t.DecOrNull("open24h");
        decimal? change = last is { } l && open is { } o ? l - o : null;
        // Spot: vol24h is in the base currency, volCcy24h in the quote currency.
        return new Ticker(market.Symbol, market.ExchangeSymbol, t.DecOrNull("bidPx"), t.DecOrNull("askPx"), last, open,
            t.DecOrNull("high24h"), t.DecOrNull("low24h"), t.DecOrNull("vol24h"), t.DecOrNull("volCcy24h"), change,
            change is { } c && open is { } op && op != 0 ? JsonValues.Trim(Math.Round(c / op * 100m, 8)) : null,
            JsonValues.FromUnixMs(t.Long("ts")));
    }

    /// <summary>details[]: availBal is free, frozenBal is held by orders.</summary>
    public static IReadOnlyDictionary<string, Balance> Balances(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var account in Data(doc))
        foreach (var d in account.GetProperty("details").EnumerateArray())
        {
            var code = AssetCodes.Normalize("okx", d.Str("ccy")!);
            balances[code] = new Balance(code, d.DecOrNull("availBal") ?? 0m, d.DecOrNull("frozenBal") ?? 0m);
        }
        return balances;
    }

    /// <summary>fills-history, newest first. The fee is signed: negative is charged to the user, so it is negated.</summary>
    public static IReadOnlyList<(Trade Trade, string BillId)> Fills(string body, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(body);
        return Data(doc).Select(f =>
        {
            var id = f.Str("instId")!;
            var market = marketOf(id);
            var price = f.Dec("fillPx");
            var amount = f.Dec("fillSz");
            var fee = f.DecOrNull("fee") is { } signed ? -signed : (decimal?)null;
            var trade = new Trade(f.Str("tradeId")!, f.Str("ordId"), market?.Symbol ?? id.Replace('-', '/'), id,
                f.Str("side") == "sell" ? TradeSide.Sell : TradeSide.Buy, price, amount, price * amount, fee,
                f.Str("feeCcy") is { Length: > 0 } ccy ? AssetCodes.Normalize("okx", ccy) : null,
                JsonValues.FromUnixMs(f.Long("ts")),
                f.Str("execType") switch { "M" => TradeLiquidity.Maker, "T" => TradeLiquidity.Taker, _ => null });
            // The billId is the next page's cursor: one that is no number would page wrongly or not resume.
            return (trade, f.Str("billId") is { Length: > 0 } bill && bill.All(char.IsAsciiDigit) ? bill : throw new FormatException("billId"));
        }).ToList();
    }

    /// <summary>account/config <c>perm</c>: a comma list of <c>read_only</c>, <c>trade</c>, <c>withdraw</c>.</summary>
    public static KeyPermissions Permissions(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var perms = (Data(doc).First().Str("perm") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new KeyPermissions(true, perms.Contains("trade"), perms.Contains("withdraw"));
    }
}
