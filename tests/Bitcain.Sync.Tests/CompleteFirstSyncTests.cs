using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>
/// A first trade sync without a symbol on an exchange that answers per market finds every trade the account made,
/// however little of it the account still holds. Each test compares with the simulator's own list of the account's
/// trades, not with what Bitcain's client reads back.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class CompleteFirstSyncTests(SyncSuite sync)
{
    private HashSet<string> Held(string exchange, string account) =>
        sync.Simulator.Trades(exchange, account).Select(t => $"{t.Symbol}:{t.Id}").ToHashSet();

    private async Task<User> FirstSyncAsync(string exchange, string account, int expected)
    {
        var user = new User(sync);
        await user.ConnectAsync(sync.Simulator.Account(exchange, account));
        var result = await user.SyncTradesAsync(exchange, "&limit=1000");
        result["success"]!.GetValue<bool>().ShouldBeTrue(result.ToJsonString());
        result["trades_synced"]!.GetValue<int>().ShouldBe(expected);
        return user;
    }

    [Fact]
    public async Task binance_us_pairs_whose_quote_was_spent_and_whose_base_was_sold_are_all_stored()
    {
        // Holds BTC and 1INCH, no USD any more; SOL and SUSHI sold in full. Only a fiat deposit still names USD.
        var held = Held("binanceus", "spent-quote");
        held.Count.ShouldBe(3000);
        held.Select(k => k.Split(':')[0]).ToHashSet().ShouldBe(["BTCUSD", "1INCHUSD", "SOLUSD", "SUSHIUSD"], ignoreOrder: true);

        var user = await FirstSyncAsync("binanceus", "spent-quote", held.Count);
        (await sync.StoredTradeKeysAsync(user.Id)).SetEquals(held).ShouldBeTrue();
    }

    [Fact]
    public async Task binance_trades_of_an_asset_sold_in_full_are_stored()
    {
        var held = Held("binance", "sold-out");
        held.Count(k => k.StartsWith("RVNUSDT:", StringComparison.Ordinal)).ShouldBe(1499);

        var user = await FirstSyncAsync("binance", "sold-out", held.Count);
        (await sync.StoredTradeKeysAsync(user.Id)).SetEquals(held).ShouldBeTrue();
    }

    [Fact]
    public async Task a_first_sync_over_two_hundred_markets_stores_them_all_and_reports_its_plan()
    {
        var held = Held("binance", "wide");
        held.Select(k => k.Split(':')[0]).Distinct().Count().ShouldBe(200);

        var user = await FirstSyncAsync("binance", "wide", held.Count);
        (await sync.StoredTradeKeysAsync(user.Id)).SetEquals(held).ShouldBeTrue();

        // The run's record says how many markets it planned and walked; the audit trail has its start and its end.
        var (status, audit) = await user.GetAsync("/api/audit/events?limit=1000");
        status.ShouldBe(200, audit.ToJsonString());
        var types = audit["events"]!.AsArray().Select(e => (string)e!["event_type"]!).ToList();
        types.ShouldContain("sync.trade_sync_started.v1");
        types.ShouldContain("sync.trade_sync_finished.v1");
        var started = audit["events"]!.AsArray().First(e => (string)e!["event_type"]! == "sync.trade_sync_started.v1")!;
        started["data"]!["markets_planned"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(200);
    }

    [Fact]
    public async Task a_later_sync_catches_a_pair_traded_for_the_first_time_since_the_first()
    {
        var before = Held("binance", "late-pair");
        var user = await FirstSyncAsync("binance", "late-pair", before.Count);

        // The account (used by this test alone) trades XRP/USDT for the first time.
        var added = sync.Simulator.AddTrades("binance", "late-pair", "XRPUSDT", 25);
        var later = await user.SyncTradesAsync("binance", "&limit=1000");
        later["success"]!.GetValue<bool>().ShouldBeTrue(later.ToJsonString());
        later["trades_synced"]!.GetValue<int>().ShouldBe(added.Count);
        (await sync.StoredTradeKeysAsync(user.Id)).SetEquals(Held("binance", "late-pair")).ShouldBeTrue();
    }
}
