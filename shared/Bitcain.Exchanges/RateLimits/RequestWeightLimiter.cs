namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// Binance's limit: a request weight budget per calendar minute, per IP. Every caller in the process draws from
/// one instance; the <c>X-MBX-USED-WEIGHT-1M</c> header of each response corrects the count, because other
/// processes on the same IP spend from the same budget.
/// </summary>
public sealed class RequestWeightLimiter(int weightPerMinute, TimeProvider time)
{
    private readonly Lock gate = new();
    private long minute = long.MinValue;
    private int used;
    private DateTimeOffset blockedUntil = DateTimeOffset.MinValue;

    public int WeightPerMinute => weightPerMinute;

    public int UsedThisMinute
    {
        get { lock (gate) { Roll(time.GetUtcNow()); return used; } }
    }

    public async ValueTask AcquireAsync(int weight, CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow();
                Roll(now);
                if (blockedUntil > now) wait = blockedUntil - now;
                else if (used + weight <= weightPerMinute || used == 0)
                {
                    used += weight;
                    return;
                }
                else wait = DateTimeOffset.UnixEpoch.AddTicks((minute + 1) * TimeSpan.TicksPerMinute) - now;
            }
            await Task.Delay(wait, time, ct);
        }
    }

    /// <summary>Takes the exchange's own count when it is higher than ours.</summary>
    public void Observe(int usedWeightThisMinute)
    {
        lock (gate)
        {
            Roll(time.GetUtcNow());
            used = Math.Max(used, usedWeightThisMinute);
        }
    }

    /// <summary>After a 429/418: nobody in this process sends until the exchange's Retry-After has passed.</summary>
    public void BackOff(TimeSpan retryAfter)
    {
        lock (gate)
        {
            var until = time.GetUtcNow() + retryAfter;
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
