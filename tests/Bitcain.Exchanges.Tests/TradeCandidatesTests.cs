using Bitcain.Exchanges;
using Bitcain.Exchanges.Paging;
using Shouldly;
using Xunit;

namespace Bitcain.Exchanges.Tests;

public sealed class TradeCandidatesTests
{
    private static readonly MinMax None = new(null, null);

    private static Market M(string @base, string quote) =>
        new($"{@base}/{quote}", @base + quote, @base, quote, true, new MarketPrecision(null, null), new MarketLimits(None, None, None), null, null);

    private static readonly IReadOnlyList<Market> Markets =
        [M("BTC", "USD"), M("1INCH", "USD"), M("SOL", "USD"), M("SUSHI", "USD"), M("ETH", "BTC"), M("DOGE", "EUR"), M("XRP", "EUR")];

    private static AccountActivity Activity(bool complete, params string[] assets) => new(assets.ToHashSet(), complete, ["balances"]);

    [Fact]
    public void a_held_base_plans_its_markets_even_when_the_quote_is_gone()
    {
        var plan = TradeCandidates.Initial(Markets, Activity(true, "BTC", "1INCH"), []);
        plan.Markets.ShouldBe(["1INCH/USD", "BTC/USD", "ETH/BTC"], ignoreOrder: true);
    }

    [Fact]
    public void trades_found_on_a_market_open_every_market_of_its_other_asset()
    {
        var plan = TradeCandidates.Initial(Markets, Activity(true, "BTC"), []);
        var (opened, assets) = TradeCandidates.Opened(Markets, M("BTC", "USD"), plan.KnownAssets, plan.Markets.ToHashSet());
        assets.ShouldBe(["USD"]);
        opened.ShouldBe(["1INCH/USD", "SOL/USD", "SUSHI/USD"]);
    }

    [Fact]
    public void a_market_of_known_assets_opens_nothing_new()
    {
        var plan = TradeCandidates.Initial(Markets, Activity(true, "BTC", "USD"), []);
        TradeCandidates.Opened(Markets, M("BTC", "USD"), plan.KnownAssets, plan.Markets.ToHashSet()).Markets.ShouldBeEmpty();
    }

    [Fact]
    public void without_a_complete_history_every_listed_market_is_walked()
    {
        TradeCandidates.Initial(Markets, Activity(false, "BTC"), []).Markets.Count.ShouldBe(Markets.Count);
        TradeCandidates.Initial(Markets, null, []).Markets.Count.ShouldBe(Markets.Count);
    }

    [Fact]
    public void markets_with_stored_trades_come_first_and_their_assets_are_known()
    {
        var plan = TradeCandidates.Initial(Markets, Activity(true), ["XRP/EUR"]);
        plan.Markets[0].ShouldBe("XRP/EUR");
        plan.Markets.ShouldContain("DOGE/EUR");
        plan.KnownAssets.ShouldBe(["XRP", "EUR"], ignoreOrder: true);
    }
}
