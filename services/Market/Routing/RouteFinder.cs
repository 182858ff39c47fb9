using Bitcain.Contracts.Market;
using ExchangeMarket = Bitcain.Exchanges.Market;

namespace Bitcain.Market.Routing;

public enum LegSide { Sell, Buy }

/// <summary>One conversion on one market: selling its base for its quote, or buying its base with its quote.</summary>
public sealed record RouteLeg(string Exchange, ExchangeMarket Market, LegSide Side, decimal TakerFee)
{
    public string From => Side == LegSide.Sell ? Market.Base : Market.Quote;
    public string To => Side == LegSide.Sell ? Market.Quote : Market.Base;
}

public sealed record CandidateRoute(string Exchange, string Type, IReadOnlyList<string> Path, IReadOnlyList<RouteLeg> Legs);

/// <summary>
/// Ways to turn one asset into another on a single exchange: direct (sell BASE/QUOTE), inverse (buy QUOTE/BASE) and
/// two legs through a bridge asset. Pure: the markets, prices and connected exchanges come in, ranked routes go out.
/// </summary>
public static class RouteFinder
{
    public static readonly IReadOnlyList<string> Bridges = ["USDT", "USDC", "USD", "BTC", "ETH", "EUR"];

    /// <summary>Every route the index allows, before any size filter.</summary>
    public static IReadOnlyList<CandidateRoute> Candidates(RouteIndex index, string baseAsset, string quoteAsset)
    {
        var from = baseAsset.ToUpperInvariant();
        var to = quoteAsset.ToUpperInvariant();
        var routes = new List<CandidateRoute>();
        if (from == to) return routes;
        foreach (var venue in index.Venues)
        {
            if (Leg(venue, from, to) is { } single)
                routes.Add(new CandidateRoute(venue.Exchange, single.Side == LegSide.Sell ? "direct" : "inverse", [from, to], [single]));
            foreach (var bridge in Bridges)
            {
                if (bridge == from || bridge == to) continue;
                if (Leg(venue, from, bridge) is { } first && Leg(venue, bridge, to) is { } second)
                    routes.Add(new CandidateRoute(venue.Exchange, "two_leg", [from, bridge, to], [first, second]));
            }
        }
        return routes;
    }

    /// <summary>The markets whose price a size filter needs: every leg's market, once.</summary>
    public static IEnumerable<(string Exchange, string Symbol)> PricesNeeded(IEnumerable<CandidateRoute> routes) =>
        routes.SelectMany(r => r.Legs).Select(l => (l.Exchange, l.Market.Symbol)).Distinct();

    /// <summary>
    /// Drops the routes a size cannot pass, ranks the rest (fewest legs, then lowest fee, then connected first) and
    /// describes them. A leg's limit in another asset is converted at <paramref name="prices"/> (last price, quote per
    /// base, keyed by exchange and unified symbol); a limit whose conversion lacks a price cannot drop a route.
    /// </summary>
    public static IReadOnlyList<RouteInfo> Rank(
        IEnumerable<CandidateRoute> candidates,
        decimal? size,
        decimal? quoteSize,
        IReadOnlyDictionary<(string Exchange, string Symbol), decimal> prices,
        IReadOnlySet<string> connected)
    {
        var ranked = new List<RouteInfo>();
        foreach (var route in candidates)
        {
            var (minBase, minQuote) = Minimums(route, prices);
            if (size is { } s && minBase is { } mb && mb > s) continue;
            if (quoteSize is { } q && minQuote is { } mq && mq > q) continue;

            var keep = 1m;
            foreach (var leg in route.Legs) keep *= 1 - leg.TakerFee;
            ranked.Add(new RouteInfo(route.Exchange, route.Type, route.Path,
                route.Legs.Select(l => new RouteLegInfo(l.Exchange, l.Market.Symbol, l.Side == LegSide.Sell ? "sell" : "buy",
                    l.Market.Limits.Amount.Min, l.Market.Limits.Cost.Min, l.TakerFee)).ToList(),
                Reported(1 - keep), Reported(minBase), Reported(minQuote), connected.Contains(route.Exchange)));
        }
        return ranked
            .OrderBy(r => r.Legs.Count)
            .ThenBy(r => r.EstimatedFee)
            .ThenByDescending(r => r.Connected)
            .ThenBy(r => r.Exchange, StringComparer.Ordinal)
            .ThenBy(r => string.Join('>', r.Path), StringComparer.Ordinal)
            .ToList();
    }

    // Limits converted through prices carry 28 digits of division noise (4.9999999999999999999999977825);
    // filtering above used the exact values, the answer shows 12 decimals.
    private static decimal? Reported(decimal? value) => value is { } v ? Reported(v) : null;

    private static decimal Reported(decimal value) => decimal.Round(value, 12) / 1.000000000000000000000000000000m;

    public static IReadOnlyList<RouteInfo> Find(
        RouteIndex index, string baseAsset, string quoteAsset, decimal? size, decimal? quoteSize,
        IReadOnlyDictionary<(string Exchange, string Symbol), decimal> prices, IReadOnlySet<string> connected) =>
        Rank(Candidates(index, baseAsset, quoteAsset), size, quoteSize, prices, connected);

    /// <summary>
    /// The smallest amount of the route's first asset (and its worth in the last asset) that every leg accepts.
    /// Each leg's minimum is first taken in the asset it spends, then carried along the route by the legs' rates.
    /// </summary>
    internal static (decimal? MinBase, decimal? MinQuote) Minimums(CandidateRoute route, IReadOnlyDictionary<(string, string), decimal> prices)
    {
        var legs = route.Legs;
        var rates = new decimal?[legs.Count];
        var spends = new decimal?[legs.Count];
        for (var i = 0; i < legs.Count; i++)
        {
            var leg = legs[i];
            decimal? price = prices.TryGetValue((leg.Exchange, leg.Market.Symbol), out var p) && p > 0 ? p : null;
            rates[i] = price is null ? null : leg.Side == LegSide.Sell ? price : 1 / price;
            var amount = leg.Market.Limits.Amount.Min is > 0 ? leg.Market.Limits.Amount.Min : null; // in the market's base
            var cost = leg.Market.Limits.Cost.Min is > 0 ? leg.Market.Limits.Cost.Min : null;       // in the market's quote
            spends[i] = leg.Side == LegSide.Sell
                ? Max(amount, cost / price)   // spends the base: the amount is in it, the cost converts at the price
                : Max(amount * price, cost);  // spends the quote: the cost is in it, the amount converts at the price
        }

        decimal? minBase = null, minQuote = null;
        for (var i = 0; i < legs.Count; i++)
        {
            if (spends[i] is not { } spend) continue;
            decimal? inBase = spend;
            for (var j = 0; j < i; j++) inBase = inBase / rates[j];
            decimal? inQuote = spend;
            for (var j = i; j < legs.Count; j++) inQuote = inQuote * rates[j];
            minBase = Max(minBase, inBase);
            minQuote = Max(minQuote, inQuote);
        }
        return (minBase, minQuote);
    }

    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static RouteLeg? Leg(RouteIndex.Venue venue, string from, string to)
    {
        if (venue.Pairs.TryGetValue((from, to), out var sell)) return new RouteLeg(venue.Exchange, sell, LegSide.Sell, sell.Taker ?? venue.DefaultTakerFee);
        if (venue.Pairs.TryGetValue((to, from), out var buy)) return new RouteLeg(venue.Exchange, buy, LegSide.Buy, buy.Taker ?? venue.DefaultTakerFee);
        return null;
    }
}
