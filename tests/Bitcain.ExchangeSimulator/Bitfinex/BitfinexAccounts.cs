namespace Bitcain.ExchangeSimulator.Bitfinex;

internal sealed record BitfinexWallet(string Type, string Currency, decimal Balance, decimal Available);

internal sealed record BitfinexTrade(long Id, BitfinexPair Pair, long Mts, long OrderId, decimal ExecAmount, decimal ExecPrice, bool Maker,
    decimal Fee, string FeeCurrency);

/// <summary>An account's trades computed from the index (0 = oldest); ids grow with it. Every fifth trade is another fill of
/// the previous one's order in the same millisecond, as Bitfinex reports a taker order crossing several makers.</summary>
internal sealed class BitfinexTrades(string seed, IReadOnlyList<BitfinexPair> pairs, int count, DateTimeOffset from, DateTimeOffset to)
{
    private readonly long _fromMs = from.ToUnixTimeMilliseconds();
    private readonly long _intervalMs = Math.Max(1, (to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds()) / Math.Max(1, count));
    private readonly long _idBase = 1_400_000_000L + (long)(Deterministic.Hash(seed + "/id") % 100_000) * 10_000;

    public int Count { get; } = count;

    private bool SecondFill(int i) => i % 5 == 4;

    private int Root(int i) => SecondFill(i) ? i - 1 : i;

    public long Mts(int i)
    {
        var r = Root(i);
        return _fromMs + _intervalMs * r + (long)(Deterministic.Hash(seed + "/t", r) % (ulong)_intervalMs);
    }

    /// <summary>The first index whose time is after <paramref name="ms"/>.</summary>
    public int FirstAfter(long ms)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (Mts(mid) > ms) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    public BitfinexTrade At(int i)
    {
        var r = Root(i);
        var h = Deterministic.Hash(seed, r);
        double U(int salt, int index) => Deterministic.Unit(Deterministic.Hash(seed + "/" + salt, index));
        var pair = pairs[(int)(h % (ulong)pairs.Count)];
        var price = Math.Max(pair.PriceStep, Deterministic.RoundDown(pair.ReferencePrice * (decimal)(0.9 + 0.2 * U(1, r)), pair.PriceStep));
        var amount = Math.Max(pair.MinOrderSize, Deterministic.RoundDown((decimal)(20 + 1980 * U(2, i)) / AssetCatalog.UsdPrice(pair.Base), 0.00000001m));
        var buy = U(3, r) < 0.5;
        var maker = !SecondFill(i) && U(4, r) < 0.4;
        // Bitfinex charges the currency received and reports the fee negative.
        var fee = -(buy ? Math.Round(amount * (maker ? 0.001m : 0.002m), 8) : Math.Round(price * amount * (maker ? 0.001m : 0.002m), 8));
        return new BitfinexTrade(_idBase + i, pair, Mts(i), 120_000_000_000L + (long)(h % 1_000_000_000), buy ? amount : -amount, price, maker, fee,
            BitfinexMarkets.CodeOf(buy ? pair.Base : pair.Quote));
    }
}

/// <summary>A seeded Bitfinex account: key, wallets, trades, the last nonce it accepted, and its per-endpoint minute windows.</summary>
internal sealed class BitfinexAccount(SimulatedAccount key, IReadOnlyList<BitfinexWallet> wallets, BitfinexTrades trades)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Window, int Count)> _windows = new(StringComparer.Ordinal);
    private long _lastNonce;

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<BitfinexWallet> Wallets { get; } = wallets;
    public BitfinexTrades Trades { get; } = trades;

    /// <summary>Bitfinex keeps the highest nonce seen per key and refuses anything not above it.</summary>
    public bool TryUseNonce(long nonce)
    {
        lock (_lock)
        {
            if (nonce <= _lastNonce) return false;
            _lastNonce = nonce;
            return true;
        }
    }

    public bool TryCharge(string path, DateTimeOffset now, int limit)
    {
        lock (_lock)
        {
            var window = now.ToUnixTimeMilliseconds() / 60_000;
            var (at, count) = _windows.GetValueOrDefault(path);
            if (at != window) count = 0;
            if (count >= limit) return false;
            _windows[path] = (window, count + 1);
            return true;
        }
    }

    public void ResetState()
    {
        lock (_lock)
        {
            _windows.Clear();
            _lastNonce = 0;
        }
    }
}
