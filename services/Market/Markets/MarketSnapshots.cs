using Bitcain.Exchanges;
using Bitcain.Market.Caching;

namespace Bitcain.Market.Markets;

/// <summary>
/// Every exchange's market list, cached per exchange. An expired list is still served while one background fetch
/// replaces it (a market list changes rarely, and a caller should never wait for it twice); <c>fetched_at</c> says
/// how old it is. The TTL is longer than the clients' own 10-minute market cache, so a refresh really asks the exchange.
/// </summary>
public sealed class MarketSnapshots
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(15);

    private readonly IExchangeClients _clients;
    private readonly SingleFlightCache<string, MarketSet> _cache;

    private readonly ExchangeDeadline _deadline;

    public MarketSnapshots(IExchangeClients clients, ExchangeDeadline deadline, TimeProvider time, ILogger<MarketSnapshots> logger)
    {
        _clients = clients;
        _deadline = deadline;
        _cache = new SingleFlightCache<string, MarketSet>(time, (exchange, e) =>
            logger.LogWarning("Refreshing the markets of {Exchange} failed ({ErrorType}); the previous list is still served",
                exchange, (e as ExchangeException)?.ErrorTypeName ?? e.GetType().Name),
            CacheMetrics.For<string>("markets", exchange => exchange));
    }

    /// <exception cref="ExchangeException">the exchange failed and no list was ever fetched.</exception>
    public Task<CachedValue<MarketSet>> GetAsync(IExchangeClient client) =>
        _cache.GetAsync(client.Exchange, Ttl, async exchange => new MarketSet(exchange, await _deadline.RunAsync(exchange, client.GetMarketsAsync)), serveStale: true);

    public IReadOnlyList<string> Exchanges => _clients.Exchanges;
}
