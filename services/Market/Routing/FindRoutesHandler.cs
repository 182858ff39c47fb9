using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Market.Markets;
using Bitcain.Market.Tickers;

namespace Bitcain.Market.Routing;

/// <summary>The route index of the current market snapshots, rebuilt only when one of them changed.</summary>
public sealed class RouteIndexCache
{
    private (MarketSet[] Sets, RouteIndex Index)? _current;

    public RouteIndex For(IReadOnlyList<MarketSet> sets)
    {
        var current = _current;
        if (current is { } c && c.Sets.Length == sets.Count && c.Sets.Zip(sets).All(p => ReferenceEquals(p.First, p.Second))) return c.Index;
        var index = RouteIndex.Build(sets.Select(s => new ExchangeMarkets(s.Exchange, s.Markets, ExchangeCatalog.Get(s.Exchange).DefaultTakerFee)));
        _current = (sets.ToArray(), index);
        return index;
    }
}

public static class FindRoutesHandler
{
    public static async Task<RouteList> Handle(FindRoutes query, IExchangeClients clients, MarketSnapshots snapshots, TickerCache tickers,
        RouteIndexCache indexes, ILogger<RouteIndexCache> logger)
    {
        var baseAsset = AssetCodes.FromUser(query.Base);
        var quoteAsset = AssetCodes.FromUser(query.Quote);

        // An exchange whose markets cannot be had (down, never fetched) is left out and named; the others still answer.
        var loaded = await Task.WhenAll(clients.Exchanges.Select(async id =>
        {
            try { return (id, Set: (await snapshots.GetAsync(clients.Get(id))).Value); }
            catch (ExchangeException e)
            {
                logger.LogWarning("Routes leave out {Exchange}: its markets are unavailable ({ErrorType})", id, e.ErrorTypeName);
                return (id, Set: (MarketSet?)null);
            }
        }));
        var sets = loaded.Where(l => l.Set is not null).Select(l => l.Set!).ToList();
        var unavailable = loaded.Where(l => l.Set is null).Select(l => l.id).ToList();

        var candidates = RouteFinder.Candidates(indexes.For(sets), baseAsset, quoteAsset);
        var prices = query.Size is null && query.QuoteSize is null
            ? new Dictionary<(string, string), decimal>()
            : await PricesAsync(RouteFinder.PricesNeeded(candidates), clients, tickers);
        var routes = RouteFinder.Rank(candidates, query.Size, query.QuoteSize, prices, query.ConnectedExchanges.ToHashSet(StringComparer.Ordinal));
        return new RouteList(baseAsset, quoteAsset, routes, unavailable);
    }

    /// <summary>Last prices of the legs, from the ticker cache; a ticker that fails leaves that price unknown.</summary>
    private static async Task<Dictionary<(string, string), decimal>> PricesAsync(
        IEnumerable<(string Exchange, string Symbol)> needed, IExchangeClients clients, TickerCache tickers)
    {
        var fetched = await Task.WhenAll(needed.Select(async n =>
        {
            try
            {
                var t = (await tickers.GetAsync(clients.Get(n.Exchange), n.Symbol)).Value;
                var price = t.Last ?? (t.Bid + t.Ask) / 2;
                return (n.Exchange, n.Symbol, Price: price);
            }
            catch (ExchangeException)
            {
                return (n.Exchange, n.Symbol, Price: (decimal?)null);
            }
        }));
        return fetched.Where(f => f.Price is > 0).ToDictionary(f => (f.Exchange, f.Symbol), f => f.Price!.Value);
    }
}
