namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// Binance's limit: a request weight budget per calendar minute, per IP. Every caller in the process draws from
/// one instance, in fair shares between the owners waiting for it (<see cref="FairShareBudget"/>); the
/// <c>X-MBX-USED-WEIGHT-1M</c> header of each response corrects the count, because other processes on the same IP
/// spend from the same budget.
/// </summary>
public sealed class RequestWeightLimiter(int weightPerMinute, TimeProvider time) : FairShareBudget(time)
{
    private long minute = long.MinValue;
    private int used;
    private DateTimeOffset blockedUntil = DateTimeOffset.MinValue;

    public int WeightPerMinute => weightPerMinute;

    public int UsedThisMinute
    {
        get { lock (Gate) { Roll(Time.GetUtcNow()); return used; } }
    }

    protected override TimeSpan? TryTake(int weight, DateTimeOffset now)
    {
        Roll(now);
        if (blockedUntil > now) return blockedUntil - now;
        // A call heavier than the whole budget still goes, alone, at the start of a minute: it could never fit otherwise.
        if (used + weight <= weightPerMinute || used == 0)
        {
            used += weight;
            return null;
        }
        return DateTimeOffset.UnixEpoch.AddTicks((minute + 1) * TimeSpan.TicksPerMinute) - now;
    }

    /// <summary>Takes the exchange's own count when it is higher than ours.</summary>
    public void Observe(int usedWeightThisMinute)
    {
        lock (Gate)
        {
            Roll(Time.GetUtcNow());
            used = Math.Max(used, usedWeightThisMinute);
        }
    }

    /// <summary>After a 429/418: nobody in this process sends until the exchange's Retry-After has passed.</summary>
    public void BackOff(TimeSpan retryAfter)
    {
        lock (Gate)
        {
            var until = Time.GetUtcNow() + retryAfter;
            if (until > blockedUntil) blockedUntil = until;
        }
    }

    private void Roll(DateTimeOffset now)
    {
        var current = (now - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMinute;
        if (current == minute) return;
        minute = current;
        used = 0;
    }
}
