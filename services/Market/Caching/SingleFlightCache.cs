using System.Collections.Concurrent;

namespace Bitcain.Market.Caching;

/// <summary>One cached answer, when it was fetched, and whether this caller got it without asking the exchange.</summary>
public readonly record struct CachedValue<TValue>(TValue Value, DateTimeOffset FetchedAt, bool FromCache);

/// <summary>
/// A cache in front of an exchange: a value younger than its time to live is served as it is; concurrent callers of
/// an expired or missing key share ONE fetch (single-flight), so a burst of identical requests costs one exchange call.
/// With <c>serveStale</c>, an expired value is served at once while one background fetch replaces it. With
/// <c>maxStaleOnError</c>, a failed fetch falls back to a value no older than that. Fetches never take a caller's
/// cancellation: the callers that share them come and go, the exchange client's own timeout bounds them.
/// </summary>
/// <param name="lookup">Told how each lookup was answered (<see cref="CacheMetrics"/>' outcomes).</param>
public sealed class SingleFlightCache<TKey, TValue>(TimeProvider time, Action<TKey, Exception>? backgroundFailure = null, Action<TKey, string>? lookup = null)
    where TKey : notnull
{
    private sealed class Entry
    {
        public bool HasValue;
        public TValue Value = default!;
        public DateTimeOffset FetchedAt;
        public Task<CachedValue<TValue>>? InFlight;
    }

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    public async Task<CachedValue<TValue>> GetAsync(
        TKey key,
        TimeSpan ttl,
        Func<TKey, Task<TValue>> fetch,
        bool forceRefresh = false,
        bool serveStale = false,
        TimeSpan? maxStaleOnError = null,
        TimeSpan? minForcedInterval = null)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        Task<CachedValue<TValue>> flight;
        bool joined;
        lock (entry)
        {
            var now = time.GetUtcNow();
            var age = now - entry.FetchedAt;
            if (entry.HasValue && (forceRefresh ? age < (minForcedInterval ?? TimeSpan.Zero) : age < ttl))
            {
                lookup?.Invoke(key, CacheMetrics.Hit);
                return new CachedValue<TValue>(entry.Value, entry.FetchedAt, true);
            }
            if (entry.HasValue && !forceRefresh && serveStale)
            {
                if (entry.InFlight is null)
                {
                    entry.InFlight = Start(key, entry, fetch);
                    entry.InFlight.ContinueWith(t => backgroundFailure?.Invoke(key, t.Exception!.GetBaseException()),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
                lookup?.Invoke(key, CacheMetrics.Stale);
                return new CachedValue<TValue>(entry.Value, entry.FetchedAt, true);
            }
            joined = entry.InFlight is not null;
            flight = entry.InFlight ??= Start(key, entry, fetch);
        }
        lookup?.Invoke(key, joined ? CacheMetrics.Shared : CacheMetrics.Miss);

        try
        {
            var fetched = await flight;
            return joined ? fetched with { FromCache = true } : fetched;
        }
        catch (Exception) when (maxStaleOnError is { } maxStale && Fallback(entry, maxStale) is { } stale)
        {
            lookup?.Invoke(key, CacheMetrics.StaleOnError);
            return stale;
        }
    }

    /// <summary>The value held for a key, however old, without fetching.</summary>
    public bool TryPeek(TKey key, out CachedValue<TValue> value)
    {
        value = default;
        if (!_entries.TryGetValue(key, out var entry)) return false;
        lock (entry)
        {
            if (!entry.HasValue) return false;
            value = new CachedValue<TValue>(entry.Value, entry.FetchedAt, true);
            return true;
        }
    }

    private CachedValue<TValue>? Fallback(Entry entry, TimeSpan maxStale)
    {
        lock (entry)
            return entry.HasValue && time.GetUtcNow() - entry.FetchedAt <= maxStale
                ? new CachedValue<TValue>(entry.Value, entry.FetchedAt, true)
                : null;
    }

    private Task<CachedValue<TValue>> Start(TKey key, Entry entry, Func<TKey, Task<TValue>> fetch) =>
        Task.Run(async () =>
        {
            try
            {
                var value = await fetch(key);
                var at = time.GetUtcNow();
                lock (entry)
                {
                    entry.Value = value;
                    entry.FetchedAt = at;
                    entry.HasValue = true;
                    entry.InFlight = null;
                }
                return new CachedValue<TValue>(value, at, false);
            }
            catch
            {
                lock (entry) entry.InFlight = null;
                throw;
            }
        });
}
