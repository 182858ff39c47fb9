namespace Bitcain.ExchangeSimulator.Kraken;

/// <summary>Kraken locks out a source that keeps failing authentication (repeated EAPI:Invalid key →
/// EGeneral:Temporary lockout, per Kraken's error docs in FACTS.md §3). The threshold and length are not published,
/// so both are options and the lockout is off unless a test switches it on.</summary>
internal sealed class KrakenLockouts
{
    private readonly Dictionary<string, (int Failures, long UntilMs)> _ips = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool IsLockedOut(string ip, DateTimeOffset now)
    {
        lock (_lock) return _ips.TryGetValue(ip, out var s) && s.UntilMs > now.ToUnixTimeMilliseconds();
    }

    public void RecordFailure(string ip, DateTimeOffset now, KrakenLimitOptions options)
    {
        if (options.FailedAuthenticationsBeforeLockout <= 0) return;
        lock (_lock)
        {
            var failures = (_ips.TryGetValue(ip, out var s) ? s.Failures : 0) + 1;
            _ips[ip] = failures >= options.FailedAuthenticationsBeforeLockout
                ? (0, now.ToUnixTimeMilliseconds() + (long)options.LockoutDuration.TotalMilliseconds)
                : (failures, 0);
        }
    }

    public void RecordSuccess(string ip)
    {
        lock (_lock) _ips.Remove(ip);
    }

    public void Reset()
    {
        lock (_lock) _ips.Clear();
    }
}
