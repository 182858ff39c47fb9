namespace Bitcain.ExchangeSimulator.Okx;

internal sealed record OkxCoin(string Ccy, decimal Avail, decimal Frozen);

internal sealed record OkxFill(long BillId, string TradeId, string OrdId, OkxInstrument Instrument, string Side, decimal Px, decimal Sz,
    decimal Fee, string FeeCcy, bool Maker, long Ts);

/// <summary>An account's spot fills computed from the index (0 = oldest); billIds and times increase with it.</summary>
internal sealed class OkxFills(string seed, IReadOnlyList<OkxInstrument> instruments, int count, DateTimeOffset from, DateTimeOffset to)
    : TradeTimeline(seed, count, from, to)
{
    private readonly long _billBase = 600_000_000_000L + (long)(Deterministic.Hash(seed + "/bill") % 1_000_000) * 1_000_000;

    public long BillId(int i) => _billBase + i;

    public int IndexOfBill(long billId) => (int)Math.Clamp(billId - _billBase, 0, Count);

    public OkxFill At(int i)
    {
        var h = HashOf(i);
        var inst = instruments[(int)(h % (ulong)instruments.Count)];
        var (px, sz, buy, maker) = Draw(i, inst.ReferencePrice, inst.TickSz, inst.MinSz, inst.LotSz, inst.BaseCcy);
        var rate = maker ? 0.0008m : 0.001m;
        // OKX charges the received currency and reports the fee negative.
        var fee = -(buy ? Math.Round(sz * rate, 12) : Math.Round(px * sz * rate, 12));
        return new OkxFill(BillId(i), (400_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (700_000_000_000 + (long)(h % 1_000_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            inst, buy ? "buy" : "sell", px, sz, fee, buy ? inst.BaseCcy : inst.QuoteCcy, maker, TimeMs(i));
    }
}

/// <summary>A seeded OKX account: key, passphrase, coins, fills, and its per-endpoint 2-second request windows.</summary>
internal sealed class OkxAccount(SimulatedAccount key, IReadOnlyList<OkxCoin> coins, OkxFills fills)
{
    private readonly FixedWindowCounter _requests = new(2000);

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<OkxCoin> Coins { get; } = coins;
    public OkxFills Fills { get; } = fills;

    public bool TryCharge(string path, DateTimeOffset now, int limit) => _requests.TryCharge(path, now, limit) >= 0;

    public void ResetState() => _requests.Reset();
}
