namespace Bitcain.ExchangeSimulator.Bitfinex;

/// <summary>A Bitfinex pair: <c>BTCUSD</c>, or with a colon when a code is longer than three letters (<c>DOGE:UST</c>).</summary>
internal sealed record BitfinexPair(string Id, string Base, string Quote, decimal MinOrderSize, decimal MaxOrderSize, bool OnExchangeWallet,
    decimal ReferencePrice)
{
    public string Symbol => "t" + Id;

    /// <summary>Bitfinex keeps 5 significant digits in a price.</summary>
    public decimal PriceStep => BitfinexMarkets.Step(ReferencePrice);
}

/// <summary>Bitfinex's pairs over the simulator's shared assets, in Bitfinex's own codes (UST for USDT, DSH for DASH...),
/// a colon wherever a code is not three letters, plus the paper-trading TESTBTC:TESTUSD pairs. A few pairs stay in <c>pub:info:pair</c> but off the exchange wallet's
/// list, as delisted or margin-only pairs do.</summary>
internal sealed class BitfinexMarkets
{
    public static readonly Lazy<BitfinexMarkets> Instance = new(Build);

    /// <summary>Common code → Bitfinex code; the reverse of what Bitfinex's pub:map:currency:sym publishes.</summary>
    private static readonly Dictionary<string, string> Codes = new(StringComparer.Ordinal)
    {
        ["USDT"] = "UST", ["USDC"] = "UDC", ["DASH"] = "DSH", ["IOTA"] = "IOT", ["QTUM"] = "QTM", ["MANA"] = "MNA", ["STORJ"] = "STJ",
        ["ALGO"] = "ALG", ["ATOM"] = "ATO",
    };

    private BitfinexMarkets(IReadOnlyList<BitfinexPair> pairs)
    {
        Pairs = pairs;
        BySymbol = pairs.ToDictionary(p => p.Symbol, StringComparer.Ordinal);
    }

    public IReadOnlyList<BitfinexPair> Pairs { get; }
    public IReadOnlyDictionary<string, BitfinexPair> BySymbol { get; }

    public static string CodeOf(string asset) => Codes.GetValueOrDefault(asset, asset);

    public static string CommonCode(string code) => Codes.FirstOrDefault(c => c.Value == code).Key ?? code;

    public static decimal Step(decimal price)
    {
        if (price <= 0) return 0.00000001m;
        var step = 1m;
        while (step * 10000m > price && step > 0.00000001m) step /= 10m;
        while (step * 100000m <= price) step *= 10m;
        return step;
    }

    private static BitfinexMarkets Build()
    {
        var pairs = new List<BitfinexPair>();
        void Add(string @base, string quote, decimal price)
        {
            var (b, q) = (CodeOf(@base), CodeOf(quote));
            var id = b.Length == 3 && q.Length == 3 ? b + q : $"{b}:{q}";
            if (pairs.Any(p => p.Id == id)) return;
            var min = AssetCatalog.Significant(5m / AssetCatalog.UsdPrice(@base), 2);
            var onExchange = Deterministic.Hash("bitfinex-listed/" + id) % 23 != 0 || @base is "BTC" or "ETH";
            pairs.Add(new BitfinexPair(id, @base, quote, min, AssetCatalog.Significant(min * 400_000m, 2), onExchange,
                AssetCatalog.Significant(price, 5)));
        }
        foreach (var (quote, count) in new[] { ("USD", 60), ("USDT", 40), ("EUR", 10), ("BTC", 15) })
        foreach (var asset in AssetCatalog.Crypto(count).Concat(["DASH", "IOTA", "QTUM", "MANA"]))
        {
            if (asset == quote || AssetCatalog.IsFiatOrStable(asset)) continue;
            var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
            if (price > 0) Add(asset, quote, price);
        }
        Add("USDT", "USD", 1.0002m);
        pairs.Add(new BitfinexPair("TESTBTC:TESTUSD", "TESTBTC", "TESTUSD", 0.00006m, 2000m, true, 91250m));
        pairs.Add(new BitfinexPair("TESTBTC:TESTUSDT", "TESTBTC", "TESTUSDT", 0.00006m, 2000m, true, 91240m));
        return new BitfinexMarkets(pairs);
    }
}
