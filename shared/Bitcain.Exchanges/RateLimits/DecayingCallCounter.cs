using System.Collections.Concurrent;

namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// Kraken's limit: each API key has a call counter that every call raises (by 1, by 2 for ledger and trade
/// history) and that decays at a fixed rate; past the maximum Kraken answers <c>EAPI:Rate limit exceeded</c>.
/// We keep our own copy of each counter and wait before it would overflow. The other clients' per-key and per-IP
/// budgets are counters of the same kind. Each counter is shared fairly between the owners waiting for it
/// (<see cref="FairShareBudget"/>): a public counter between every user's calls, a key's between the syncs using it.
/// </summary>
public sealed class DecayingCallCounter(double maximum, double decayPerSecond, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Counter> counters = new();
    private readonly TimeProvider clock = time;

    public double Maximum => maximum;
    public double DecayPerSecond => decayPerSecond;

    public double LevelOf(string key) => CounterOf(key).Level();

    /// <summary>How many calls wait for room on <paramref name="key"/>'s counter.</summary>
    public int WaitingFor(string key) => CounterOf(key).Waiting;

    public ValueTask AcquireAsync(string key, int cost, CancellationToken ct) => CounterOf(key).AcquireAsync(cost, ct);

    public void BackOff(string key, TimeSpan retryAfter) => CounterOf(key).BackOff(retryAfter);

    private Counter CounterOf(string key) => counters.GetOrAdd(key, static (_, c) => new Counter(c), this);

    private sealed class Counter(DecayingCallCounter of) : FairShareBudget(of.clock)
    {
        // Decay is computed in floating point: without a little slack, waiting exactly as long as the decay needs
        // could leave the counter a rounding error above where the call fits, and the call a tick behind.
        private const double Slack = 1e-9;

        private double level;
        private DateTimeOffset at = of.clock.GetUtcNow();
        private DateTimeOffset blockedUntil;

        public double Level()
        {
            lock (Gate) { Decay(Time.GetUtcNow()); return level; }
        }

        protected override TimeSpan? TryTake(int cost, DateTimeOffset now)
        {
            Decay(now);
            if (blockedUntil > now) return blockedUntil - now;
            if (level + cost <= of.Maximum + Slack)
            {
                level += cost;
                return null;
            }
            var ticks = Math.Ceiling((level + cost - of.Maximum) / of.DecayPerSecond * TimeSpan.TicksPerSecond);
            return TimeSpan.FromTicks(Math.Max(1, (long)ticks));
        }

        public void BackOff(TimeSpan retryAfter)
        {
            lock (Gate)
            {
                var now = Time.GetUtcNow();
                Decay(now);
                level = of.Maximum; // the exchange says we are full, whatever our copy believed
                if (now + retryAfter > blockedUntil) blockedUntil = now + retryAfter;
            }
        }

        private void Decay(DateTimeOffset now)
        {
            var elapsed = (now - at).TotalSeconds;
            if (elapsed > 0) level = Math.Max(0, level - elapsed * of.DecayPerSecond);
            at = now;
        }
    }
}
