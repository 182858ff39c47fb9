namespace Bitcain.ExchangeSimulator.Binance;

internal sealed record BinanceTrade(
    string Symbol, long Id, long OrderId, decimal Price, decimal Qty, decimal QuoteQty, decimal Commission,
    string CommissionAsset, long Time, bool IsBuyer, bool IsMaker);

/// <summary>An account's fills on one symbol, computed from the index: trade k exists without any list being held,
/// so a 100,000-trade account costs nothing until paged. Ids and times strictly increase with k (Binance trade ids
/// are per symbol and grow with time), which is what makes fromId and time-window lookups exact.</summary>
internal sealed class BinanceTradeSeries
{
    private readonly string _seed;
    private readonly long _idBase;
    private readonly long _orderBase;

    /// <summary>Runs of trades spread evenly over a time span; the seed history is one, each run-time addition
    /// (<see cref="Append"/>) another, starting after the last trade so times keep increasing.</summary>
    private readonly Segment[] _segments;

    private readonly record struct Segment(int Start, long FromMs, long IntervalMs);

    public BinanceTradeSeries(string accountSeed, BinanceSymbol symbol, int count, DateTimeOffset from, DateTimeOffset to)
    {
        Symbol = symbol;
        Count = count;
        _seed = accountSeed + "/" + symbol.Symbol;
        var h = Deterministic.Hash(_seed);
        _idBase = 10_000_000 + (long)(h % 400_000_000);
        _orderBase = 1_000_000_000 + (long)(Deterministic.Mix(h) % 4_000_000_000);
        var fromMs = from.ToUnixTimeMilliseconds();
        _segments = [new Segment(0, fromMs, Math.Max(1, (to.ToUnixTimeMilliseconds() - fromMs) / Math.Max(1, count)))];
    }

    private BinanceTradeSeries(BinanceTradeSeries head, int added, long fromMs, long toMs)
    {
        Symbol = head.Symbol;
        Count = head.Count + added;
        _seed = head._seed;
        _idBase = head._idBase;
        _orderBase = head._orderBase;
        _segments = [.. head._segments, new Segment(head.Count, fromMs, Math.Max(1, (toMs - fromMs) / Math.Max(1, added)))];
    }

    public BinanceSymbol Symbol { get; }
    public int Count { get; }

    /// <summary>This series plus <paramref name="count"/> trades at or after <paramref name="fromMs"/>, after its own
    /// last one, and before <paramref name="toMs"/> (one millisecond apart when the span is too short); ids continue.</summary>
    public BinanceTradeSeries Append(int count, long fromMs, long toMs)
    {
        if (Count > 0) fromMs = Math.Max(fromMs, Time(Count - 1) + 1);
        return new BinanceTradeSeries(this, count, fromMs, Math.Max(toMs, fromMs + count));
    }

    public long LastTime => Count == 0 ? long.MinValue : Time(Count - 1);

    public long Id(int k) => _idBase + 10L * k + (long)(Deterministic.Hash(_seed, k) % 10);

    public long Time(int k)
    {
        var s = _segments[^1];
        for (var i = _segments.Length - 1; i > 0 && k < s.Start; i--) s = _segments[i - 1];
        return s.FromMs + s.IntervalMs * (k - s.Start) + (long)(Deterministic.Mix(Deterministic.Hash(_seed, k)) % (ulong)s.IntervalMs);
    }

    /// <summary>First index whose id is ≥ <paramref name="id"/> (Count when none).</summary>
    public int FirstWithIdAtLeast(long id) => LowerBound(k => Id(k) >= id);

    /// <summary>First index whose time is ≥ <paramref name="ms"/> (Count when none).</summary>
    public int FirstAtOrAfter(long ms) => LowerBound(k => Time(k) >= ms);

    private int LowerBound(Func<int, bool> atOrAfter)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (atOrAfter(mid)) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>The trade filled by an order, if any (each generated order fills exactly once).</summary>
    public int? IndexOfOrder(long orderId)
    {
        var k = (orderId - _orderBase) / 4;
        if (k < 0 || k >= Count) return null;
        return At((int)k).OrderId == orderId ? (int)k : null;
    }

    public BinanceTrade At(int k)
    {
        var s = Symbol;
        var h = Deterministic.Hash(_seed, k);
        double U(int salt) => Deterministic.Unit(Deterministic.Hash(_seed + "/" + salt, k));
        var time = Time(k);
        // A slow swing of ±12% around the reference price over 45-day cycles, plus ±0.5% noise.
        var phase = 2 * Math.PI * time / (45.0 * 86_400_000) + (h % 628) / 100.0;
        var factor = 1 + 0.12 * Math.Sin(phase) + 0.01 * (U(1) - 0.5);
        var price = Math.Max(s.TickSize, Deterministic.RoundDown(s.ReferencePrice * (decimal)factor, s.TickSize));
        var usdNotional = (decimal)(20 + 1980 * U(2));
        var qty = Math.Max(s.StepSize, Deterministic.RoundDown(usdNotional / AssetCatalog.UsdPrice(s.BaseAsset), s.StepSize));
        var quoteQty = Math.Round(price * qty, 8);
        var isBuyer = U(3) < 0.5;
        var isMaker = U(4) < 0.4;
        string commissionAsset;
        decimal commission;
        if (U(5) < 0.3)
        {
            // Paid in BNB at the 25% discount, as with BNB burn switched on.
            commissionAsset = "BNB";
            commission = Math.Round(quoteQty * AssetCatalog.UsdPrice(s.QuoteAsset) * 0.00075m / AssetCatalog.UsdPrice("BNB"), 8);
        }
        else
        {
            commissionAsset = isBuyer ? s.BaseAsset : s.QuoteAsset;
            commission = Math.Round((isBuyer ? qty : quoteQty) * 0.001m, 8);
        }
        var orderId = _orderBase + 4L * k + (long)(Deterministic.Mix(h) % 4);
        return new BinanceTrade(s.Symbol, Id(k), orderId, price, qty, quoteQty, commission, commissionAsset, time, isBuyer, isMaker);
    }
}
