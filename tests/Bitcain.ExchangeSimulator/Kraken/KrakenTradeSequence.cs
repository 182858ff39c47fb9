namespace Bitcain.ExchangeSimulator.Kraken;

internal sealed record KrakenTrade(
    string TxId, string OrderTxId, string PosTxId, KrakenPair Pair, long TimeMs, string Type, string OrderType, decimal Price,
    decimal Cost, decimal Fee, decimal Volume, long TradeId, bool Maker, string LedgerId);

/// <summary>An account's fills across pairs, computed from the index (index 0 = oldest), so a 100,000-trade history
/// is paged without being held. Times strictly increase with the index, which makes start/end lookups a binary
/// search and ofs paging (newest first) plain arithmetic.</summary>
internal sealed class KrakenTradeSequence
{
    private const string TxAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly string _seed;
    private readonly IReadOnlyList<KrakenPair> _pairs;
    private readonly long _fromMs;
    private readonly long _intervalMs;

    public KrakenTradeSequence(string seed, IReadOnlyList<KrakenPair> pairs, int count, DateTimeOffset from, DateTimeOffset to)
    {
        _seed = seed;
        _pairs = pairs;
        Count = count;
        _fromMs = from.ToUnixTimeMilliseconds();
        _intervalMs = Math.Max(1, (to.ToUnixTimeMilliseconds() - _fromMs) / Math.Max(1, count));
    }

    public int Count { get; }

    public long TimeMs(int i) => _fromMs + _intervalMs * i + (long)(Deterministic.Hash(_seed + "/t", i) % (ulong)_intervalMs);

    /// <summary>First index whose time is strictly after <paramref name="ms"/>.</summary>
    public int FirstAfter(long ms)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (TimeMs(mid) > ms) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    public int? IndexOf(string txid)
    {
        // Trade txids encode nothing; find by scanning is fine for the small histories this is used with.
        for (var i = 0; i < Count; i++)
            if (TxId("T", i) == txid) return i;
        return null;
    }

    public KrakenTrade At(int i)
    {
        var h = Deterministic.Hash(_seed, i);
        double U(int salt) => Deterministic.Unit(Deterministic.Hash(_seed + "/" + salt, i));
        var pair = _pairs[(int)(h % (ulong)_pairs.Count)];
        var time = TimeMs(i);
        var phase = 2 * Math.PI * time / (45.0 * 86_400_000) + (h % 628) / 100.0;
        var factor = 1 + 0.12 * Math.Sin(phase) + 0.01 * (U(1) - 0.5);
        var tick = 1m / (decimal)Math.Pow(10, pair.PairDecimals);
        var price = Math.Max(tick, Deterministic.RoundDown(pair.ReferencePrice * (decimal)factor, tick));
        var usdNotional = (decimal)(20 + 1980 * U(2));
        var volume = Math.Max(0.00000001m, Math.Round(usdNotional / AssetCatalog.UsdPrice(pair.BaseAsset), 8));
        var cost = Math.Round(price * volume, pair.CostDecimals);
        var maker = U(4) < 0.4;
        var fee = Math.Round(cost * (maker ? 0.0025m : 0.004m), pair.CostDecimals);
        return new KrakenTrade(TxId("T", i), TxId("O", i), TxId("P", i), pair, time, U(3) < 0.5 ? "buy" : "sell",
            maker ? "limit" : (U(6) < 0.5 ? "market" : "limit"), price, cost, fee, volume, 40_000_000 + (long)(h % 1000) + 1000L * i,
            maker, TxId("L", i));
    }

    /// <summary>Kraken ids look like TCCCTY-WJ6EO-4FP4VZ: a letter then 5, 5 and 6 base32 characters.</summary>
    private string TxId(string prefix, int i)
    {
        var h = Deterministic.Hash(_seed + "/" + prefix, i);
        Span<char> chars = stackalloc char[19];
        chars[0] = prefix[0];
        for (var c = 1; c < 19; c++)
        {
            if (c is 6 or 12) { chars[c] = '-'; continue; }
            chars[c] = TxAlphabet[(int)(h & 31)];
            h = c % 8 == 0 ? Deterministic.Mix(h) : h >> 5;
        }
        return new string(chars);
    }
}
