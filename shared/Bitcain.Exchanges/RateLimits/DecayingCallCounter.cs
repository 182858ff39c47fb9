namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// Kraken's limit: each API key has a call counter that every call raises (by 1, by 2 for ledger and trade
/// history) and that decays at a fixed rate; past the maximum Kraken answers <c>EAPI:Rate limit exceeded</c>.
/// We keep our own copy of each counter and wait before it would overflow. The other clients' per-key and per-IP
/// budgets are counters of the same kind. Each counter is shared fairly between the owners waiting for it
/// (<see cref="FairShareBudget"/>): a public counter between every user's calls, a key's between the syncs using it.
/// </summary>
/// <remarks>
/// A key's counter is dropped once nobody uses it and it has drained to zero and is not backed off: a new one would be
/// the same. Past <see cref="MaxKeys"/> unused counters go lowest level first even if not drained (the exchange's own
/// rate-limit answer still backs that key off), so random keys sent to <c>POST /api/exchange/validate</c> cannot grow
/// the table without bound.
/// </remarks>
public sealed class DecayingCallCounter(double maximum, double decayPerSecond, TimeProvider time)
{
    public const int MaxKeys = 10_000;
    private const int FirstSweep = 1024;

    private readonly Dictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private readonly TimeProvider clock = time;
    private int sweepAt = FirstSweep;

    /// <summary>Tags of this counter's waits in the metrics.</summary>
    public string? Exchange { get; init; }
    public string? Budget { get; init; }

    public double Maximum => maximum;
    public double DecayPerSecond => decayPerSecond;

    /// <summary>How many keys have a counter now.</summary>
    public int TrackedKeys
    {
        get { lock (counters) return counters.Count; }
    }

    public double LevelOf(string key)
    {
        lock (counters) return counters.TryGetValue(key, out var c) ? c.Level() : 0;
    }

    /// <summary>How many calls wait for room on <paramref name="key"/>'s counter.</summary>
    public int WaitingFor(string key)
    {
        lock (counters) return counters.TryGetValue(key, out var c) ? c.Waiting : 0;
    }

    public async ValueTask AcquireAsync(string key, int cost, CancellationToken ct)
    {
        Counter counter;
        lock (counters)
        {
            counter = CounterOf(key);
            counter.Users++;
        }
        try
        {
            await counter.AcquireAsync(cost, ct).ConfigureAwait(false);
        }
        finally
        {
            lock (counters) counter.Users--;
        }
    }

    public void BackOff(string key, TimeSpan retryAfter)
    {
        lock (counters) CounterOf(key).BackOff(retryAfter);
    }

    // Under the table's lock; a counter's own lock is only ever taken inside it, never the other way round.
    private Counter CounterOf(string key)
    {
        if (counters.TryGetValue(key, out var counter)) return counter;
        if (counters.Count >= sweepAt) Sweep();
        return counters[key] = new Counter(this) { Exchange = Exchange, Budget = Budget };
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, counter) in counters)
            if (counter.Users == 0 && counter.Drained(now)) counters.Remove(key);
        // Down to nine tenths, so that a flood pays for a sort once per thousand keys, not per key.
        if (counters.Count >= MaxKeys)
            foreach (var (key, _) in counters.Where(c => c.Value.Users == 0).OrderBy(c => c.Value.Level()).Take(counters.Count - MaxKeys * 9 / 10).ToList())
                counters.Remove(key);
        sweepAt = Math.Min(MaxKeys, Math.Max(FirstSweep, counters.Count * 2));
    }

    private sealed class Counter(DecayingCallCounter of) : FairShareBudget(of.clock)
    {
        // Decay is computed in floating point: without a little slack, waiting exactly as long as the decay needs
        // could leave the counter a rounding error above where the call fits, and the call a tick behind.
        private const double Slack = 1e-9;

        private double level;
        private DateTimeOffset at = of.clock.GetUtcNow();
        private DateTimeOffset blockedUntil;

        /// <summary>Callers between taking this counter from the table and being done with it; guarded by the table's lock.</summary>
        public int Users;

        public bool Drained(DateTimeOffset now)
        {
            lock (Gate)
            {
                Decay(now);
                return level == 0 && blockedUntil <= now && Waiting == 0;
            }
        }

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
