namespace Bitcain.ExchangeSimulator.Bybit;

internal sealed record BybitPair(
    string Symbol, string BaseCoin, string QuoteCoin, string Status, decimal BasePrecision, decimal QuotePrecision,
    decimal MinOrderQty, decimal MaxOrderQty, decimal MinOrderAmt, decimal MaxOrderAmt, decimal TickSize, decimal ReferencePrice);

/// <summary>Bybit's spot instruments: the docs example's BTCUSDT as published (docs/v5/market/instrument.mdx) plus
/// deterministic synthetic pairs in USDT, USDC and BTC with consistent lot and price filters.</summary>
internal sealed class BybitMarkets
{
    public static readonly Lazy<BybitMarkets> Instance = new(Build);

    private BybitMarkets(IReadOnlyList<BybitPair> pairs)
    {
        Pairs = pairs;
        BySymbol = pairs.ToDictionary(p => p.Symbol, StringComparer.Ordinal);
    }

    public IReadOnlyList<BybitPair> Pairs { get; }
    public IReadOnlyDictionary<string, BybitPair> BySymbol { get; }

    private static BybitMarkets Build()
    {
        var pairs = new List<BybitPair>
        {
            // Verbatim from the docs example (github.com/bybit-exchange/docs @072c197, docs/v5/market/instrument.mdx).
            new("BTCUSDT", "BTC", "USDT", "Trading", 0.000001m, 0.0000001m, 0.000011m, 83m, 5m, 8000000m, 0.1m, AssetCatalog.UsdPrice("BTC")),
        };
        foreach (var (quote, count) in new[] { ("USDT", 60), ("USDC", 15), ("BTC", 12) })
        foreach (var asset in AssetCatalog.Crypto(count))
        {
            if (asset == quote || asset is "USDT" or "USDC" || pairs.Any(p => p.Symbol == asset + quote)) continue;
            var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
            if (price <= 0) continue;
            var tick = Step(price / 10000m);
            var lot = Step(10m / AssetCatalog.UsdPrice(asset) / 1000m);
            var h = Deterministic.Hash("bybit-status/" + asset + quote);
            pairs.Add(new BybitPair(asset + quote, asset, quote, h % 17 == 0 ? "PreLaunch" : "Trading", lot, tick,
                lot * 10, lot * 10_000_000, quote == "BTC" ? 0.0001m : 1m, quote == "BTC" ? 100m : 2_000_000m, tick,
                AssetCatalog.Significant(price, 6)));
        }
        return new BybitMarkets(pairs);
    }

    /// <summary>The power of ten at or below the value: Bybit's steps are 1, 0.1, 0.01...</summary>
    private static decimal Step(decimal value)
    {
        var step = 1m;
        while (step > value && step > 0.0000000001m) step /= 10m;
        while (step * 10 <= value && step < 1000m) step *= 10m;
        return step;
    }
}
