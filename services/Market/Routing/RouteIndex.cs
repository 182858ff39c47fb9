using ExchangeMarket = Bitcain.Exchanges.Market;

namespace Bitcain.Market.Routing;

/// <summary>The markets of one exchange as route building needs them, with its default taker fee for markets that lack one.</summary>
public sealed record ExchangeMarkets(string Exchange, IReadOnlyList<ExchangeMarket> Markets, decimal DefaultTakerFee);

/// <summary>
/// Active markets by exchange and (base, quote): built once per market snapshot, so finding routes costs a handful of
/// dictionary lookups per exchange whatever the number of markets.
/// </summary>
public sealed class RouteIndex
{
    internal sealed record Venue(string Exchange, Dictionary<(string Base, string Quote), ExchangeMarket> Pairs, decimal DefaultTakerFee);

    internal IReadOnlyList<Venue> Venues { get; }

    private RouteIndex(IReadOnlyList<Venue> venues) => Venues = venues;

    public int MarketCount => Venues.Sum(v => v.Pairs.Count);

    public static RouteIndex Build(IEnumerable<ExchangeMarkets> exchanges) =>
        new(exchanges
            .OrderBy(e => e.Exchange, StringComparer.Ordinal)
            .Select(e =>
            {
                var pairs = new Dictionary<(string, string), ExchangeMarket>();
                foreach (var m in e.Markets)
                    if (m.Active) pairs.TryAdd((m.Base.ToUpperInvariant(), m.Quote.ToUpperInvariant()), m);
                return new Venue(e.Exchange, pairs, e.DefaultTakerFee);
            })
            .ToList());
}
