using System.Diagnostics.Metrics;

namespace Bitcain.Market.Caching;

/// <summary>
/// How the market service's caches answer: a hit rate that drops, or misses that climb for one exchange, is the first
/// thing to look at when exchange calls or latency rise.
/// </summary>
public static class CacheMetrics
{
    public const string MeterName = "Bitcain.Market";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Lookups = Meter.CreateCounter<long>(
        "bitcain.market.cache.lookups", "{lookup}", "Lookups in the market caches, by cache (markets, tickers, health), exchange and outcome");

    /// <summary>A value young enough was served.</summary>
    public const string Hit = "hit";
    /// <summary>An expired value was served while one background fetch replaces it.</summary>
    public const string Stale = "stale";
    /// <summary>The caller waited for a fetch another caller had started.</summary>
    public const string Shared = "shared";
    /// <summary>The caller started a fetch from the exchange.</summary>
    public const string Miss = "miss";
    /// <summary>The fetch failed and an older value answered instead.</summary>
    public const string StaleOnError = "stale_on_error";

    /// <summary>The recorder a <see cref="SingleFlightCache{TKey,TValue}"/> is given for the cache named <paramref name="cache"/>.</summary>
    public static Action<TKey, string> For<TKey>(string cache, Func<TKey, string> exchangeOf) => (key, outcome) =>
        Lookups.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("exchange", exchangeOf(key)),
            new KeyValuePair<string, object?>("outcome", outcome));
}
