namespace Bitcain.ExchangeSimulator;

/// <summary>
/// The times of an account's generated trades, computed from the index (0 = oldest): one equal slot per trade
/// between <c>from</c> and <c>to</c>, the trade placed inside it by a hash, so times strictly increase and a
/// 120,000-trade history is windowed and searched without being held. Each exchange derives its trades from it.
/// </summary>
internal abstract class TradeTimeline(string seed, int count, DateTimeOffset from, DateTimeOffset to)
{
    private readonly long _fromMs = from.ToUnixTimeMilliseconds();
    private readonly long _intervalMs = Math.Max(1, (to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds()) / Math.Max(1, count));

    protected string Seed { get; } = seed;

    public int Count { get; } = count;

    public long TimeMs(int i) => _fromMs + _intervalMs * i + (long)(Deterministic.Hash(Seed + "/t", i) % (ulong)_intervalMs);

    /// <summary>First index whose time is at or after <paramref name="ms"/>.</summary>
    public int FirstAtOrAfter(long ms)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (TimeMs(mid) >= ms) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Trade <paramref name="i"/>'s own hash: it picks the market, and ids derive from it.</summary>
    protected ulong HashOf(int i) => Deterministic.Hash(Seed, i);

    /// <summary>Trade <paramref name="i"/>'s draws, alike on every exchange: a price within 10% of the market's
    /// reference on its tick, an amount worth $20 to $2,000 on its lot (at least the minimum), the side, the liquidity.</summary>
    protected (decimal Price, decimal Amount, bool Buy, bool Maker) Draw(int i, decimal referencePrice, decimal tick, decimal minAmount, decimal lot, string baseAsset)
    {
        double U(int salt) => Deterministic.Unit(Deterministic.Hash(Seed + "/" + salt, i));
        var price = Math.Max(tick, Deterministic.RoundDown(referencePrice * (decimal)(0.9 + 0.2 * U(1)), tick));
        var amount = Math.Max(minAmount, Deterministic.RoundDown((decimal)(20 + 1980 * U(2)) / AssetCatalog.UsdPrice(baseAsset), lot));
        return (price, amount, U(3) < 0.5, U(4) < 0.4);
    }
}
