namespace Bitcain.Exchanges;

/// <summary>
/// An exchange's market list, fetched at most once per <c>ttl</c>: resolving a symbol needs it on almost every call,
/// and exchangeInfo alone weighs 20 on Binance. Concurrent callers at expiry wait for one fetch instead of each
/// sending their own.
/// </summary>
internal sealed class MarketsCache(TimeProvider time, TimeSpan ttl)
{
    private sealed record Snapshot(IReadOnlyList<Market> Markets, DateTimeOffset At);

    private readonly SemaphoreSlim refresh = new(1, 1);
    private volatile Snapshot? current;

    public async Task<IReadOnlyList<Market>> GetAsync(Func<CancellationToken, Task<IReadOnlyList<Market>>> fetch, CancellationToken ct)
    {
        if (Fresh() is { } markets) return markets;
        await refresh.WaitAsync(ct);
        try
        {
            if (Fresh() is { } fetchedMeanwhile) return fetchedMeanwhile;
            var fetched = await fetch(ct);
            current = new Snapshot(fetched, time.GetUtcNow());
            return fetched;
        }
        finally
        {
            refresh.Release();
        }
    }

    private IReadOnlyList<Market>? Fresh() => current is { } s && time.GetUtcNow() - s.At < ttl ? s.Markets : null;
}
