namespace Bitcain.ExchangeSimulator.Bybit;

internal sealed record BybitCoin(string Coin, decimal WalletBalance, decimal Locked);

internal sealed record BybitExecution(
    string ExecId, string OrderId, BybitPair Pair, string Side, decimal Price, decimal Qty, decimal Fee, string FeeCurrency,
    bool IsMaker, long TimeMs);

/// <summary>An account's spot executions computed from the index (0 = oldest), times strictly increasing, so a
/// 120,000-fill history is windowed and paged without being held.</summary>
internal sealed class BybitExecutions(string seed, IReadOnlyList<BybitPair> pairs, int count, DateTimeOffset from, DateTimeOffset to)
{
    private readonly long _fromMs = from.ToUnixTimeMilliseconds();
    private readonly long _intervalMs = Math.Max(1, (to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds()) / Math.Max(1, count));

    public int Count { get; } = count;

    public long TimeMs(int i) => _fromMs + _intervalMs * i + (long)(Deterministic.Hash(seed + "/t", i) % (ulong)_intervalMs);

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

    public BybitExecution At(int i)
    {
        var h = Deterministic.Hash(seed, i);
        double U(int salt) => Deterministic.Unit(Deterministic.Hash(seed + "/" + salt, i));
        var pair = pairs[(int)(h % (ulong)pairs.Count)];
        var price = Math.Max(pair.TickSize, Deterministic.RoundDown(pair.ReferencePrice * (decimal)(0.9 + 0.2 * U(1)), pair.TickSize));
        var qty = Math.Max(pair.MinOrderQty, Deterministic.RoundDown((decimal)(20 + 1980 * U(2)) / AssetCatalog.UsdPrice(pair.BaseCoin), pair.BasePrecision));
        var buy = U(3) < 0.5;
        var maker = U(4) < 0.4;
        // Spot fees are charged in the coin received: base on a buy, quote on a sell.
        var fee = buy ? Math.Round(qty * 0.001m, 10) : Math.Round(price * qty * 0.001m, 10);
        return new BybitExecution(Id("e", i), Id("o", i), pair, buy ? "Buy" : "Sell", price, qty, fee, buy ? pair.BaseCoin : pair.QuoteCoin,
            maker, TimeMs(i));
    }

    /// <summary>Bybit ids are UUIDs; these are UUID-shaped and derived from the index.</summary>
    private string Id(string kind, int i)
    {
        var a = Deterministic.Hash(seed + "/" + kind, i);
        var b = Deterministic.Mix(a);
        var hex = a.ToString("x16") + b.ToString("x16");
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}

/// <summary>A seeded Bybit UTA account: key, coins, executions and its per-second request windows.</summary>
internal sealed class BybitAccount(SimulatedAccount key, IReadOnlyList<BybitCoin> coins, BybitExecutions executions)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Second, int Count)> _windows = new(StringComparer.Ordinal);

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<BybitCoin> Coins { get; } = coins;
    public BybitExecutions Executions { get; } = executions;

    /// <summary>Per key and endpoint, a fixed one-second window; returns how many remain, or -1 when refused.</summary>
    public int TryCharge(string path, DateTimeOffset now, int limit)
    {
        lock (_lock)
        {
            var second = now.ToUnixTimeSeconds();
            var (at, count) = _windows.GetValueOrDefault(path);
            if (at != second) count = 0;
            if (count >= limit)
            {
                _windows[path] = (second, count);
                return -1;
            }
            _windows[path] = (second, count + 1);
            return limit - count - 1;
        }
    }

    public void ResetState()
    {
        lock (_lock) _windows.Clear();
    }
}
