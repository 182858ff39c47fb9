namespace Bitcain.ExchangeSimulator.Coinbase;

/// <summary>A Coinbase product: <c>BTC-USD</c>. Increments are tick sizes; the quote sizes bound an order's cost.</summary>
internal sealed record CoinbaseProduct(string Id, string Base, string Quote, string Type, decimal BaseIncrement, decimal PriceIncrement,
    decimal BaseMinSize, decimal BaseMaxSize, decimal QuoteMinSize, decimal QuoteMaxSize, string Status, bool TradingDisabled, decimal ReferencePrice)
{
    public bool Trades => Status == "online" && !TradingDisabled;
}

/// <summary>Coinbase's spot products over the simulator's shared assets (USD, USDC, USDT, EUR, GBP and BTC quotes), BTC-USD with
/// the increments and sizes of the recorded <c>coinbase.product.BTC-USD.json</c>, a few products delisted (<c>status</c>
/// <c>delisted</c>, <c>trading_disabled</c>) and one futures product that <c>product_type=SPOT</c> leaves out.</summary>
internal sealed class CoinbaseMarkets
{
    public static readonly Lazy<CoinbaseMarkets> Instance = new(Build);

    private CoinbaseMarkets(IReadOnlyList<CoinbaseProduct> products)
    {
        Products = products;
        ById = products.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<CoinbaseProduct> Products { get; }
    public IReadOnlyDictionary<string, CoinbaseProduct> ById { get; }

    /// <summary>A power of ten at or below <paramref name="value"/>, within [1e-8, 1].</summary>
    public static decimal Pow10Below(decimal value)
    {
        var step = 1m;
        while (step > value && step > 0.00000001m) step /= 10m;
        return step;
    }

    /// <summary>Prices keep about seven significant digits: 0.01 at 91,250, 0.0001 at 2.21.</summary>
    public static decimal PriceStep(decimal price)
    {
        var step = 1m;
        while (step * 1_000_000m > price && step > 0.00000001m) step /= 10m;
        while (step * 10_000_000m <= price) step *= 10m;
        return step;
    }

    private static CoinbaseMarkets Build()
    {
        var products = new List<CoinbaseProduct>();
        void Add(string @base, string quote)
        {
            var id = $"{@base}-{quote}";
            if (@base == quote || products.Any(p => p.Id == id)) return;
            var price = AssetCatalog.UsdPrice(@base) / AssetCatalog.UsdPrice(quote);
            if (price <= 0) return;
            var reference = AssetCatalog.Significant(price, 7);
            var baseIncrement = Pow10Below(0.001m / reference);
            var delisted = Deterministic.Hash("coinbase-listed/" + id) % 25 == 0 && @base is not "BTC" and not "ETH";
            var btcQuote = quote == "BTC";
            products.Add(new CoinbaseProduct(id, @base, quote, "SPOT", baseIncrement, PriceStep(reference), baseIncrement,
                AssetCatalog.Significant(5_000_000m / AssetCatalog.UsdPrice(@base), 2), btcQuote ? 0.000016m : 1m, btcQuote ? 1700m : 150_000_000m,
                delisted ? "delisted" : "online", delisted, reference));
        }
        // BTC-USD as recorded: increments 0.00000001 / 0.01, base 0.00000001..3400, quote 1..150000000.
        products.Add(new CoinbaseProduct("BTC-USD", "BTC", "USD", "SPOT", 0.00000001m, 0.01m, 0.00000001m, 3400m, 1m, 150_000_000m, "online", false,
            AssetCatalog.UsdPrice("BTC")));
        foreach (var (quote, count) in new[] { ("USD", 70), ("USDC", 30), ("USDT", 20), ("EUR", 15), ("GBP", 10), ("BTC", 15) })
        foreach (var asset in AssetCatalog.Crypto(count))
            if (!AssetCatalog.IsFiatOrStable(asset)) Add(asset, quote);
        Add("USDT", "USD");
        Add("USDC", "EUR");
        products.Add(new CoinbaseProduct("BIT-28NOV26-CDE", "BIT", "USD", "FUTURE", 1m, 5m, 1m, 10_000m, 1m, 150_000_000m, "online", false, 91_250m));
        return new CoinbaseMarkets(products);
    }
}
