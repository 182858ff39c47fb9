using Bitcain.Exchanges;
using Bitcain.Market.Routing;
using Shouldly;
using ExchangeMarket = Bitcain.Exchanges.Market;

namespace Bitcain.Market.Tests;

/// <summary>Routes over a hand-built market set where the right answer is known.</summary>
public sealed class RouteFinderTests
{
    private static ExchangeMarket M(string b, string q, decimal? minAmount = null, decimal? minCost = null, decimal? taker = null, bool active = true) =>
        new($"{b}/{q}", b + q, b, q, active, new MarketPrecision(0.0001m, 0.01m),
            new MarketLimits(new MinMax(minAmount, null), new MinMax(minCost, null), MinMax.None), taker, taker);

    // alpha: taker 0.1 %; beta: taker 0.2 %.
    private static readonly RouteIndex Index = RouteIndex.Build(
    [
        new ExchangeMarkets("alpha",
        [
            M("BTC", "USDT", 0.001m, 10m),
            M("ETH", "BTC", 0.01m, 0.0001m),
            M("ETH", "USDT", 0.001m, 5m),
            M("BTC", "USDC", 0.001m, 10m),
            M("USDC", "USDT", 1m, 1m),
            M("SOL", "USDT", 0.01m, 5m),
            M("EUR", "USDT", 5m, 1m),
            M("DOGE", "USDT", 1m, 1m, active: false),
        ], 0.001m),
        new ExchangeMarkets("beta",
        [
            M("BTC", "USDT", 0.0001m, 100m, taker: 0.002m),
        ], 0.002m),
    ]);

    private static readonly Dictionary<(string, string), decimal> Prices = new()
    {
        [("alpha", "BTC/USDT")] = 50000m,
        [("beta", "BTC/USDT")] = 50000m,
        [("alpha", "ETH/BTC")] = 0.05m,
        [("alpha", "ETH/USDT")] = 2500m,
        [("alpha", "BTC/USDC")] = 50000m,
        [("alpha", "USDC/USDT")] = 1m,
        [("alpha", "SOL/USDT")] = 150m,
        [("alpha", "EUR/USDT")] = 1.1m,
    };

    private static readonly IReadOnlySet<string> NoneConnected = new HashSet<string>();

    [Fact]
    public void selling_btc_for_usdt_lists_direct_routes_first_cheapest_first_then_two_leg_routes()
    {
        var routes = RouteFinder.Find(Index, "BTC", "USDT", null, null, Prices, NoneConnected);

        routes.Select(r => (r.Exchange, r.Type, string.Join(">", r.Path))).ShouldBe(
        [
            ("alpha", "direct", "BTC>USDT"),
            ("beta", "direct", "BTC>USDT"),
            ("alpha", "two_leg", "BTC>ETH>USDT"),
            ("alpha", "two_leg", "BTC>USDC>USDT"),
        ]);
        var direct = routes[0].Legs.ShouldHaveSingleItem();
        (direct.Symbol, direct.Side, direct.MinAmount, direct.MinCost, direct.TakerFee).ShouldBe(("BTC/USDT", "sell", 0.001m, 10m, 0.001m));
        routes[0].EstimatedFee.ShouldBe(0.001m);
        routes[1].EstimatedFee.ShouldBe(0.002m);

        var viaEth = routes[2].Legs;
        viaEth.Select(l => (l.Symbol, l.Side)).ShouldBe([("ETH/BTC", "buy"), ("ETH/USDT", "sell")]);
        routes[2].EstimatedFee.ShouldBe(1 - 0.999m * 0.999m);
    }

    [Fact]
    public void selling_usdt_for_btc_buys_on_the_btc_usdt_market()
    {
        var routes = RouteFinder.Find(Index, "usdt", "btc", null, null, Prices, NoneConnected);

        routes[0].Type.ShouldBe("inverse");
        routes[0].Exchange.ShouldBe("alpha");
        routes[0].Legs.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            l => l.Symbol.ShouldBe("BTC/USDT"),
            l => l.Side.ShouldBe("buy"));
    }

    [Fact]
    public void an_asset_without_a_direct_market_goes_through_a_bridge()
    {
        var route = RouteFinder.Find(Index, "SOL", "EUR", null, null, Prices, NoneConnected).ShouldHaveSingleItem();

        route.Type.ShouldBe("two_leg");
        route.Path.ShouldBe(["SOL", "USDT", "EUR"]);
        route.Legs.Select(l => (l.Symbol, l.Side)).ShouldBe([("SOL/USDT", "sell"), ("EUR/USDT", "buy")]);
    }

    [Fact]
    public void inactive_markets_make_no_route()
    {
        RouteFinder.Find(Index, "DOGE", "USDT", null, null, Prices, NoneConnected).ShouldBeEmpty();
    }

    [Fact]
    public void a_size_below_a_markets_minimum_amount_drops_that_route()
    {
        // No prices: only the amount limits, already in BTC, can judge the size (alpha 0.001, beta 0.0001).
        var routes = RouteFinder.Find(Index, "BTC", "USDT", 0.0005m, null, new Dictionary<(string, string), decimal>(), NoneConnected);

        routes.Where(r => r.Type == "direct").Select(r => r.Exchange).ShouldBe(["beta"]);
    }

    [Fact]
    public void a_minimum_cost_in_the_quote_asset_is_converted_at_the_price_before_comparing_with_size()
    {
        // beta: min amount 0.0001 BTC but min cost 100 USDT = 0.002 BTC at 50,000; alpha: 0.001 BTC (cost 10 = 0.0002 BTC).
        var routes = RouteFinder.Find(Index, "BTC", "USDT", 0.001m, null, Prices, NoneConnected);

        routes.Where(r => r.Type == "direct").Select(r => r.Exchange).ShouldBe(["alpha"]);
        routes.First(r => r.Exchange == "alpha").MinAmount.ShouldBe(0.001m);
    }

    [Fact]
    public void a_minimum_amount_in_the_base_asset_is_converted_at_the_price_before_comparing_with_quote_size()
    {
        // alpha: 0.001 BTC = 50 USDT beats its 10 USDT min cost; beta: its 100 USDT min cost.
        RouteFinder.Find(Index, "BTC", "USDT", null, 60m, Prices, NoneConnected)
            .Where(r => r.Type == "direct").Select(r => (r.Exchange, r.MinCost)).ShouldBe([("alpha", 50m)]);
        RouteFinder.Find(Index, "BTC", "USDT", null, 20m, Prices, NoneConnected).Where(r => r.Type == "direct").ShouldBeEmpty();
    }

    [Fact]
    public void a_second_legs_minimum_is_carried_back_through_the_first_legs_price()
    {
        // EUR/USDT buy: at least 5 EUR = 5.5 USDT; SOL/USDT at 150: 5.5 USDT = 0.036666.. SOL, above SOL's own 5 USDT = 0.0333.. SOL.
        RouteFinder.Find(Index, "SOL", "EUR", 0.035m, null, Prices, NoneConnected).ShouldBeEmpty();
        var route = RouteFinder.Find(Index, "SOL", "EUR", 0.04m, null, Prices, NoneConnected).ShouldHaveSingleItem();
        route.MinAmount!.Value.ShouldBe(5.5m / 150m, 0.0000001m);
        route.MinCost!.Value.ShouldBe(5m, 0.0000001m);
    }

    [Fact]
    public void without_a_price_a_limit_in_another_asset_cannot_drop_a_route()
    {
        var routes = RouteFinder.Find(Index, "BTC", "USDT", 0.001m, null, new Dictionary<(string, string), decimal>(), NoneConnected);

        routes.Where(r => r.Type == "direct").Select(r => r.Exchange).ShouldBe(["alpha", "beta"]);
    }

    [Fact]
    public void routes_on_exchanges_with_an_active_credential_are_connected_without_changing_the_order()
    {
        var routes = RouteFinder.Find(Index, "BTC", "USDT", null, null, Prices, new HashSet<string> { "beta" });

        routes.Select(r => (r.Exchange, r.Connected)).Take(2).ShouldBe([("alpha", false), ("beta", true)]);
        routes.Where(r => r.Exchange == "alpha").ShouldAllBe(r => !r.Connected);
    }

    [Fact]
    public void the_same_asset_on_both_sides_has_no_route()
    {
        RouteFinder.Find(Index, "BTC", "BTC", null, null, Prices, NoneConnected).ShouldBeEmpty();
    }
}
