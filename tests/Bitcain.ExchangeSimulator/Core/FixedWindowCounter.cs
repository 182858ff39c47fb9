namespace Bitcain.ExchangeSimulator;

/// <summary>One key's requests per endpoint in fixed windows (Bybit 1 s, OKX 2 s, Gate.io 10 s).</summary>
internal sealed class FixedWindowCounter(long windowMs)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Window, int Count)> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts a request to <paramref name="path"/>; returns how many remain in this window, or -1 when refused.</summary>
    public int TryCharge(string path, DateTimeOffset now, int limit)
    {
        lock (_lock)
        {
            var window = now.ToUnixTimeMilliseconds() / windowMs;
            var (at, count) = _windows.GetValueOrDefault(path);
            if (at != window) count = 0;
            if (count >= limit) return -1;
            _windows[path] = (window, count + 1);
            return limit - count - 1;
        }
    }

    public void Reset()
    {
        lock (_lock) _windows.Clear();
    }
}
