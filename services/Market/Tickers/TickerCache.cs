using Bitcain.Exchanges;
using Bitcain.Market.Markets;
using Bitcain.Market.Caching;

namespace Bitcain.Market.Tickers;

/// <summary>
/// Tickers live about two seconds: long enough that a burst of readers costs one exchange call, short enough to be
/// current. If the exchange fails, a ticker up to <see cref="MaxStaleOnError"/> old still answers (its timestamp says so).
/// </summary>
public sealed class TickerCache(ExchangeDeadline deadline, TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxStaleOnError = TimeSpan.FromSeconds(60);

    private readonly SingleFlightCache<(string Exchange, string Symbol), Ticker> _cache =
        new(time, lookup: CacheMetrics.For<(string Exchange, string Symbol)>("tickers", key => key.Exchange));

    /// <param name="symbol">the unified symbol of a market the exchange lists.</param>
    public Task<CachedValue<Ticker>> GetAsync(IExchangeClient client, string symbol) =>
        _cache.GetAsync((client.Exchange, symbol), Ttl, key => deadline.RunAsync(key.Exchange, ct => client.GetTickerAsync(key.Symbol, ct)), maxStaleOnError: MaxStaleOnError);
}
