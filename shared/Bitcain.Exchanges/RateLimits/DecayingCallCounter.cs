using System.Collections.Concurrent;

namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// Kraken's limit: each API key has a call counter that every call raises (by 1, by 2 for ledger and trade
/// history) and that decays at a fixed rate; past the maximum Kraken answers <c>EAPI:Rate limit exceeded</c>.
/// We keep our own copy of each counter and wait before it would overflow.
/// </summary>
public sealed class DecayingCallCounter(double maximum, double decayPerSecond, TimeProvider time)
{
    private sealed class Counter
    {
        public double Level;
        public DateTimeOffset At;
        public DateTimeOffset BlockedUntil;
    }

    private readonly ConcurrentDictionary<string, Counter> counters = new();

    public double Maximum => maximum;
    public double DecayPerSecond => decayPerSecond;

    public double LevelOf(string key)
    {
        var counter = counters.GetOrAdd(key, _ => new Counter { At = time.GetUtcNow() });
        lock (counter) { Decay(counter, time.GetUtcNow()); return counter.Level; }
    }

    public async ValueTask AcquireAsync(string key, int cost, CancellationToken ct)
    {
        var counter = counters.GetOrAdd(key, _ => new Counter { At = time.GetUtcNow() });
        while (true)
        {
            TimeSpan wait;
            lock (counter)
            {
                var now = time.GetUtcNow();
                Decay(counter, now);
                if (counter.BlockedUntil > now) wait = counter.BlockedUntil - now;
                else if (counter.Level + cost <= maximum)
                {
                    counter.Level += cost;
                    return;
                }
                else wait = TimeSpan.FromSeconds((counter.Level + cost - maximum) / decayPerSecond);
            }
            await Task.Delay(wait, time, ct);
        }
    }

    public void BackOff(string key, TimeSpan retryAfter)
    {
        var counter = counters.GetOrAdd(key, _ => new Counter { At = time.GetUtcNow() });
        lock (counter)
        {
            var now = time.GetUtcNow();
            Decay(counter, now);
            counter.Level = maximum; // the exchange says we are full, whatever our copy believed
            if (now + retryAfter > counter.BlockedUntil) counter.BlockedUntil = now + retryAfter;
        }
    }

    private void Decay(Counter counter, DateTimeOffset now)
    {
        var elapsed = (now - counter.At).TotalSeconds;
        if (elapsed > 0) counter.Level = Math.Max(0, counter.Level - elapsed * decayPerSecond);
        counter.At = now;
    }
}
