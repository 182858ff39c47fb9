namespace Bitcain.ExchangeSimulator.Okx;

internal sealed record OkxCoin(string Ccy, decimal Avail, decimal Frozen);

internal sealed record OkxFill(long BillId, string TradeId, string OrdId, OkxInstrument Instrument, string Side, decimal Px, decimal Sz,
    decimal Fee, string FeeCcy, bool Maker, long Ts);

/// <summary>An account's spot fills computed from the index (0 = oldest); billIds and times increase with it.</summary>
internal sealed class OkxFills(string seed, IReadOnlyList<OkxInstrument> instruments, int count, DateTimeOffset from, DateTimeOffset to)
{
    private readonly long _fromMs = from.ToUnixTimeMilliseconds();
    private readonly long _intervalMs = Math.Max(1, (to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds()) / Math.Max(1, count));
    private readonly long _billBase = 600_000_000_000L + (long)(Deterministic.Hash(seed + "/bill") % 1_000_000) * 1_000_000;

    public int Count { get; } = count;

    public long Ts(int i) => _fromMs + _intervalMs * i + (long)(Deterministic.Hash(seed + "/t", i) % (ulong)_intervalMs);

    public long BillId(int i) => _billBase + i;

    public int IndexOfBill(long billId) => (int)Math.Clamp(billId - _billBase, 0, Count);

    public OkxFill At(int i)
    {
        var h = Deterministic.Hash(seed, i);
        double U(int salt) => Deterministic.Unit(Deterministic.Hash(seed + "/" + salt, i));
        var inst = instruments[(int)(h % (ulong)instruments.Count)];
        var px = Math.Max(inst.TickSz, Deterministic.RoundDown(inst.ReferencePrice * (decimal)(0.9 + 0.2 * U(1)), inst.TickSz));
        var sz = Math.Max(inst.MinSz, Deterministic.RoundDown((decimal)(20 + 1980 * U(2)) / AssetCatalog.UsdPrice(inst.BaseCcy), inst.LotSz));
        var buy = U(3) < 0.5;
        var maker = U(4) < 0.4;
        var rate = maker ? 0.0008m : 0.001m;
        // OKX charges the received currency and reports the fee negative.
        var fee = -(buy ? Math.Round(sz * rate, 12) : Math.Round(px * sz * rate, 12));
        return new OkxFill(BillId(i), (400_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (700_000_000_000 + (long)(h % 1_000_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            inst, buy ? "buy" : "sell", px, sz, fee, buy ? inst.BaseCcy : inst.QuoteCcy, maker, Ts(i));
    }
}

/// <summary>A seeded OKX account: key, passphrase, coins, fills, and its per-endpoint 2-second request windows.</summary>
internal sealed class OkxAccount(SimulatedAccount key, IReadOnlyList<OkxCoin> coins, OkxFills fills)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Window, int Count)> _windows = new(StringComparer.Ordinal);

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<OkxCoin> Coins { get; } = coins;
    public OkxFills Fills { get; } = fills;

    public bool TryCharge(string path, DateTimeOffset now, int limit)
    {
        lock (_lock)
        {
            var window = now.ToUnixTimeMilliseconds() / 2000;
            var (at, count) = _windows.GetValueOrDefault(path);
            if (at != window) count = 0;
            if (count >= limit) return false;
            _windows[path] = (window, count + 1);
            return true;
        }
    }

    public void ResetState()
    {
        lock (_lock) _windows.Clear();
    }
}
