namespace Bitcain.ExchangeSimulator.Bybit;

internal sealed record BybitCoin(string Coin, decimal WalletBalance, decimal Locked);

internal sealed record BybitExecution(
    string ExecId, string OrderId, BybitPair Pair, string Side, decimal Price, decimal Qty, decimal Fee, string FeeCurrency,
    bool IsMaker, long TimeMs);

/// <summary>An account's spot executions computed from the index (0 = oldest), times strictly increasing, so a
/// 120,000-fill history is windowed and paged without being held.</summary>
internal sealed class BybitExecutions(string seed, IReadOnlyList<BybitPair> pairs, int count, DateTimeOffset from, DateTimeOffset to)
    : TradeTimeline(seed, count, from, to)
{
    public BybitExecution At(int i)
    {
        var pair = pairs[(int)(HashOf(i) % (ulong)pairs.Count)];
        var (price, qty, buy, maker) = Draw(i, pair.ReferencePrice, pair.TickSize, pair.MinOrderQty, pair.BasePrecision, pair.BaseCoin);
        // Spot fees are charged in the coin received: base on a buy, quote on a sell.
        var fee = buy ? Math.Round(qty * 0.001m, 10) : Math.Round(price * qty * 0.001m, 10);
        return new BybitExecution(Id("e", i), Id("o", i), pair, buy ? "Buy" : "Sell", price, qty, fee, buy ? pair.BaseCoin : pair.QuoteCoin,
            maker, TimeMs(i));
    }

    /// <summary>Bybit ids are UUIDs; these are UUID-shaped and derived from the index.</summary>
    private string Id(string kind, int i)
    {
        var a = Deterministic.Hash(Seed + "/" + kind, i);
        var b = Deterministic.Mix(a);
        var hex = a.ToString("x16") + b.ToString("x16");
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}

/// <summary>A seeded Bybit UTA account: key, coins, executions and its per-second request windows.</summary>
internal sealed class BybitAccount(SimulatedAccount key, IReadOnlyList<BybitCoin> coins, BybitExecutions executions)
{
    private readonly FixedWindowCounter _requests = new(1000);

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<BybitCoin> Coins { get; } = coins;
    public BybitExecutions Executions { get; } = executions;

    public int TryCharge(string path, DateTimeOffset now, int limit) => _requests.TryCharge(path, now, limit);

    public void ResetState() => _requests.Reset();
}
