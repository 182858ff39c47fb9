using System.Text.Json;

namespace Bitcain.Exchanges.Kraken;

/// <summary>Kraken <c>{"error":[],"result":...}</c> JSON to Bitcain's models. Pure; errors are read by <see cref="KrakenErrors"/>.</summary>
public static class KrakenParsers
{
    private const string Kraken = "kraken";

    public static DateTimeOffset ServerTime(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return DateTimeOffset.FromUnixTimeSeconds(Result(doc).Long("unixtime"));
    }

    /// <summary><c>online</c>; <c>maintenance</c>; <c>cancel_only</c>, <c>post_only</c>, <c>limit_only</c> (trading restricted).</summary>
    public static (ExchangeSystemStatus Status, string? Message) SystemStatus(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var status = Result(doc).Str("status") ?? "unknown";
        return (status switch
        {
            "online" => ExchangeSystemStatus.Normal,
            "maintenance" => ExchangeSystemStatus.Maintenance,
            _ => ExchangeSystemStatus.Limited,
        }, status);
    }

    /// <summary>
    /// <c>GET /0/public/AssetPairs</c>: precision.amount = 10^-lot_decimals, precision.price = tick_size (else
    /// 10^-pair_decimals), limits.amount.min = ordermin, limits.cost.min = costmin; no price limits (Kraken publishes none),
    /// maker/taker = the first tier of fees_maker/fees (percent). Dark pool pairs (<c>.d</c>) are left out, as ccxt does.
    /// </summary>
    public static IReadOnlyList<Market> Markets(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var markets = new List<Market>();
        foreach (var pair in Result(doc).EnumerateObject())
        {
            var p = pair.Value;
            if (p.Str("altname") is { } alt && alt.EndsWith(".d", StringComparison.Ordinal)) continue;
            var baseAsset = AssetCodes.Normalize(Kraken, p.Str("base")!);
            var quoteAsset = AssetCodes.Normalize(Kraken, p.Str("quote")!);
            var amountStep = p.DecOrNull("lot_decimals") is { } lot ? Step((int)lot) : (decimal?)null;
            var priceStep = p.DecOrNull("tick_size") ?? (p.DecOrNull("pair_decimals") is { } pd ? Step((int)pd) : null);
            markets.Add(new Market(
                $"{baseAsset}/{quoteAsset}", pair.Name, baseAsset, quoteAsset,
                (p.Str("status") ?? "online") == "online",
                new MarketPrecision(amountStep, priceStep),
                new MarketLimits(new MinMax(p.DecOrNull("ordermin"), null), new MinMax(p.DecOrNull("costmin"), null), MinMax.None),
                FirstTierPercent(p, "fees_maker") ?? FirstTierPercent(p, "fees"), FirstTierPercent(p, "fees")));
        }
        return markets;
    }

    /// <summary>
    /// <c>GET /0/public/Ticker</c>: a=[ask,...] b=[bid,...] c=[last,...] v=[today,24h] p=[vwap today,24h] l/h=[today,24h]
    /// o=today's open. Like ccxt: 24 h high/low/volume, quote volume = 24 h volume × 24 h vwap, change against
    /// <c>o</c>. Kraken sends no time, so the ticker is stamped with <paramref name="now"/>.
    /// </summary>
    public static Ticker Ticker(string json, Market market, DateTimeOffset now)
    {
        using var doc = JsonDocument.Parse(json);
        var entry = Result(doc).EnumerateObject().First();
        var t = entry.Value;
        decimal? At(string field, int index) =>
            t.Prop(field) is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > index ? a[index].DecOrNull() : null;
        var last = At("c", 0);
        var open = t.DecOrNull("o");
        var baseVolume = At("v", 1);
        var vwap = At("p", 1);
        var change = last - open;
        return new Ticker(
            market.Symbol, entry.Name, At("b", 0), At("a", 0), last, open, At("h", 1), At("l", 1),
            baseVolume, baseVolume * vwap, change, open is > 0 ? change / open * 100m : null, now);
    }

    /// <summary><c>POST /0/private/Balance</c>: totals only; nothing is known to be locked.</summary>
    public static IReadOnlyDictionary<string, Balance> Balance(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var asset in Result(doc).EnumerateObject())
        {
            var currency = AssetCodes.Normalize(Kraken, asset.Name);
            var amount = asset.Value.Dec();
            balances[currency] = balances.TryGetValue(currency, out var b) ? b with { Free = b.Free + amount } : new Balance(currency, amount, 0m);
        }
        return balances;
    }

    /// <summary>
    /// <c>POST /0/private/BalanceEx</c>: locked = hold_trade; free = balance + credit - credit_used - hold_trade
    /// (docs.kraken.com get-extended-balance).
    /// </summary>
    public static IReadOnlyDictionary<string, Balance> BalanceEx(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var asset in Result(doc).EnumerateObject())
        {
            var a = asset.Value;
            var currency = AssetCodes.Normalize(Kraken, asset.Name);
            var locked = a.DecOrNull("hold_trade") ?? 0m;
            var free = a.Dec("balance") + (a.DecOrNull("credit") ?? 0m) - (a.DecOrNull("credit_used") ?? 0m) - locked;
            balances[currency] = balances.TryGetValue(currency, out var b)
                ? new Balance(currency, b.Free + free, b.Locked + locked)
                : new Balance(currency, free, locked);
        }
        return balances;
    }

    /// <summary>
    /// <c>POST /0/private/TradesHistory</c>: trades keyed by txid (our exchange trade id), newest first, and the
    /// total <c>count</c> for paging by <c>ofs</c>. Fees are charged in the quote currency unless the order said
    /// otherwise (fcib), which this endpoint does not report; ccxt assumes the quote too.
    /// </summary>
    public static (IReadOnlyList<Trade> Trades, int Count) TradesHistory(string json, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(json);
        var result = Result(doc);
        // An answer of another shape is not "no trades": a sync that read it as such would report success over nothing.
        if (result.ValueKind != JsonValueKind.Object || result.Prop("trades") is { ValueKind: not JsonValueKind.Object })
            throw new FormatException("TradesHistory's result is not an object of trades");
        var trades = new List<Trade>();
        if (result.Prop("trades") is { ValueKind: JsonValueKind.Object } items)
        {
            foreach (var item in items.EnumerateObject())
            {
                var t = item.Value;
                var pair = t.Str("pair")!;
                var market = marketOf(pair);
                var price = t.Dec("price");
                var amount = t.Dec("vol");
                trades.Add(new Trade(
                    item.Name, t.Str("ordertxid"),
                    market?.Symbol ?? GuessSymbol(pair), pair,
                    t.Str("type") == "buy" ? TradeSide.Buy : TradeSide.Sell,
                    price, amount, t.DecOrNull("cost") ?? price * amount,
                    t.DecOrNull("fee"), market?.Quote ?? GuessSymbol(pair).Split('/').Last(),
                    JsonValues.FromUnixSecondsWithFraction(t.Dec("time")),
                    t.Prop("maker") is { } maker ? (maker.ValueKind == JsonValueKind.True ? TradeLiquidity.Maker : TradeLiquidity.Taker) : null));
            }
        }
        var count = result.Prop("count") is { } c ? (int)c.Long() : trades.Count;
        return (trades, count);
    }

    /// <summary><c>POST /0/private/GetApiKeyInfo</c>: Kraken's permission names to read/trade/withdraw.</summary>
    public static KeyPermissions ApiKeyInfo(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var names = Result(doc).Prop("permissions") is { ValueKind: JsonValueKind.Array } p
            ? p.EnumerateArray().Select(x => x.GetString() ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        return new KeyPermissions(
            names.Overlaps(["query-funds", "query-open-trades", "query-closed-trades", "query-ledger"]),
            names.Overlaps(["modify-trades", "close-trades"]),
            names.Contains("withdraw-funds"));
    }

    private static readonly string[] KnownQuotes = ["USDT", "USDC", "ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD", "XXBT", "XBT", "XETH", "ETH", "DAI"];

    /// <summary>For a pair missing from AssetPairs (delisted): split at a known quote code.</summary>
    public static string GuessSymbol(string pair)
    {
        foreach (var quote in KnownQuotes)
            if (pair.Length > quote.Length && pair.EndsWith(quote, StringComparison.OrdinalIgnoreCase))
                return $"{AssetCodes.Normalize(Kraken, pair[..^quote.Length])}/{AssetCodes.Normalize(Kraken, quote)}";
        return pair;
    }

    private static JsonElement Result(JsonDocument doc) => doc.RootElement.GetProperty("result");

    private static decimal? FirstTierPercent(JsonElement pair, string field) =>
        pair.Prop(field) is { ValueKind: JsonValueKind.Array } tiers && tiers.GetArrayLength() > 0 && tiers[0].GetArrayLength() > 1
            ? tiers[0][1].DecOrNull() / 100m
            : null;

    private static decimal Step(int decimals)
    {
        var step = 1m;
        for (var i = 0; i < decimals; i++) step /= 10m;
        return step;
    }
}
