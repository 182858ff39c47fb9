using System.Globalization;
using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Xunit;

namespace Bitcain.Sync.Tests;

[Collection(SyncCollection.Name)]
public sealed class QueryAndSettingsTests(SyncSuite sync)
{
    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task stats_and_filters_match_figures_computed_from_the_seeded_trades()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("kraken", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, [null]);
        (await user.SyncTradesAsync("kraken"))["trades_synced"]!.GetValue<int>().ShouldBe(served.Count);

        var (_, stats) = await user.GetAsync("/api/exchange/trades/stats?exchange=kraken");
        stats["total_trades"]!.GetValue<long>().ShouldBe(served.Count);
        stats["buy_count"]!.GetValue<long>().ShouldBe(served.Count(t => t.Side == TradeSide.Buy));
        stats["sell_count"]!.GetValue<long>().ShouldBe(served.Count(t => t.Side == TradeSide.Sell));
        stats["total_volume"]!.GetValue<decimal>().ShouldBe(served.Sum(t => t.Cost));
        stats["total_fees"]!.GetValue<decimal>().ShouldBe(served.Sum(t => t.Fee ?? 0m));
        stats["synced_count"]!.GetValue<long>().ShouldBe(served.Count);
        stats["failed_count"]!.GetValue<long>().ShouldBe(0);
        DateTimeOffset.Parse((string)stats["first_trade"]!).ShouldBe(served.Min(t => t.Timestamp));
        DateTimeOffset.Parse((string)stats["last_trade"]!).ShouldBe(served.Max(t => t.Timestamp));

        // A date window, cut at a trade in the middle.
        var ordered = served.OrderBy(t => t.Timestamp).ToList();
        var start = ordered[ordered.Count / 4].Timestamp;
        var end = ordered[ordered.Count * 3 / 4].Timestamp;
        var window = served.Where(t => t.Timestamp >= start && t.Timestamp <= end).ToList();
        var (_, windowStats) = await user.GetAsync($"/api/exchange/trades/stats?exchange=kraken&start_date={Iso(start)}&end_date={Iso(end)}");
        windowStats["total_trades"]!.GetValue<long>().ShouldBe(window.Count);
        windowStats["total_volume"]!.GetValue<decimal>().ShouldBe(window.Sum(t => t.Cost));
        windowStats["start_date"].ShouldNotBeNull();

        // Symbol filter, in any spelling, and paging.
        var btc = served.Where(t => t.Symbol == "BTC/USD").OrderByDescending(t => t.Timestamp).ThenByDescending(t => t.Id, StringComparer.Ordinal).ToList();
        btc.Count.ShouldBeGreaterThan(10);
        var (_, page) = await user.GetAsync("/api/exchange/trades?exchange=kraken&symbol=btc-usd&limit=5&offset=5");
        page["total_records"]!.GetValue<int>().ShouldBe(btc.Count);
        page["has_more"]!.GetValue<bool>().ShouldBeTrue();
        page["symbol"]!.GetValue<string>().ShouldBe("BTC/USD");
        page["trades"]!.AsArray().Select(t => (string)t!["exchange_trade_id"]!).ShouldBe(btc.Skip(5).Take(5).Select(t => t.Id));
        var (_, last) = await user.GetAsync($"/api/exchange/trades?exchange=kraken&symbol=BTC/USD&limit=5&offset={btc.Count - 2}");
        last["has_more"]!.GetValue<bool>().ShouldBeFalse();
        last["trades"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task stats_over_the_hundred_thousand_trade_load_account_are_computed_in_the_database()
    {
        var user = new User(sync);
        var load = sync.Simulator.Account("binance", "load");
        await user.ConnectAsync(load);
        var symbols = new[] { "BTC/USDT", "ETH/USDT", "SOL/USDT", "BNB/BTC", "DOGE/USDT", "XRP/USDT" };

        var result = await user.SyncTradesAsync("binance", "&limit=1000");
        // The sync may outlive the gateway's wait: then it says so and goes on; wait for it to land.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        long total = 0;
        while (DateTime.UtcNow < deadline)
        {
            total = (await user.GetAsync("/api/exchange/trades/stats?exchange=binance")).Body["total_trades"]!.GetValue<long>();
            if (total >= SyncSuite.LoadTrades) break;
            await Task.Delay(1000);
        }
        if (result["error"] is not null) result["error"]!.GetValue<string>().ShouldStartWith("sync still running");

        var served = await sync.ServedAsync(load, symbols);
        served.Count.ShouldBeGreaterThanOrEqualTo(SyncSuite.LoadTrades);
        var (_, stats) = await user.GetAsync("/api/exchange/trades/stats?exchange=binance");
        stats["total_trades"]!.GetValue<long>().ShouldBe(served.Count);
        stats["buy_count"]!.GetValue<long>().ShouldBe(served.Count(t => t.Side == TradeSide.Buy));
        stats["total_volume"]!.GetValue<decimal>().ShouldBe(served.Sum(t => t.Cost));
        stats["total_fees"]!.GetValue<decimal>().ShouldBe(served.Sum(t => t.Fee ?? 0m));
    }

    [Fact]
    public async Task a_bus_client_asking_past_every_bound_gets_a_clamped_page_not_a_dead_letter()
    {
        // The gateway refuses these; a plain AMQP client reaches the handlers without it. A negative LIMIT used to be a
        // PostgreSQL error (and a dead letter), and offset + limit an overflow.
        var user = new User(sync);
        using var scope = sync.Gateway.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var wait = TimeSpan.FromSeconds(10);

        (await bus.InvokeForTenantAsync<TradeList>(user.Id, new GetTrades("kraken", null, null, null, -5, int.MaxValue), default, wait)).Trades.ShouldBeEmpty();
        (await bus.InvokeForTenantAsync<TradeList>(user.Id, new GetTrades("kraken", null, null, null, int.MaxValue, int.MinValue), default, wait)).Trades.ShouldBeEmpty();
        (await bus.InvokeForTenantAsync<BalanceHistory>(user.Id, new GetBalanceHistory("kraken", "BTC", null, null, int.MinValue), default, wait)).History.ShouldBeEmpty();
        (await bus.InvokeForTenantAsync<AuditEventPage>(user.Id, new GetSyncAuditEvents(new AuditFilter(null, null, null, null, int.MaxValue, int.MaxValue)), default, wait))
            .Items.ShouldBeEmpty();
        QueryBounds.Window(int.MaxValue, int.MaxValue).ShouldBe(QueryBounds.MaxOffset + QueryBounds.MaxLimit);
    }

    [Fact]
    public async Task a_second_user_sees_none_of_the_first_users_balances_trades_stats_or_sync_events()
    {
        var owner = new User(sync);
        var credential = await owner.ConnectAsync(sync.Simulator.Account("binance", "readonly"));
        (await owner.PostAsync("/api/exchange/balance/sync?exchange=binance")).Body["success"]!.GetValue<bool>().ShouldBeTrue();
        (await owner.SyncTradesAsync("binance"))["trades_synced"]!.GetValue<int>().ShouldBeGreaterThan(0);

        var other = new User(sync);
        (await other.GetAsync("/api/exchange/balance?exchange=binance")).Body["balances"]!.AsObject().Count.ShouldBe(0);
        (await other.GetAsync($"/api/exchange/balance?exchange=binance&credential_id={credential}")).Body["balances"]!.AsObject().Count.ShouldBe(0);
        (await other.GetAsync("/api/exchange/balance/history?exchange=binance&currency=BTC")).Body["total_records"]!.GetValue<int>().ShouldBe(0);
        (await other.GetAsync("/api/exchange/trades?exchange=binance")).Body["total_records"]!.GetValue<int>().ShouldBe(0);
        (await other.GetAsync("/api/exchange/trades/stats")).Body["total_trades"]!.GetValue<long>().ShouldBe(0);
        var sneaky = await other.PostAsync($"/api/exchange/balance/sync?exchange=binance&credential_id={credential}");
        sneaky.Body["error_type"]!.GetValue<string>().ShouldBe("no_credentials");

        using var scope = sync.Gateway.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var filter = new AuditFilter(null, null, null, null, 100, 0);
        var mine = await bus.InvokeForTenantAsync<AuditEventPage>(owner.Id, new GetSyncAuditEvents(filter), default, TimeSpan.FromSeconds(10));
        mine.Items.Select(i => i.EventType).ShouldContain("sync.balances_synced.v1");
        mine.Items.Select(i => i.EventType).ShouldContain("sync.trades_synced.v1");
        mine.Items.ShouldAllBe(i => i.CredentialId == credential && i.Exchange == "binance");
        mine.Items.ShouldAllBe(i => !i.Data.ToString().Contains(sync.Simulator.Account("binance", "readonly").ApiSecret));
        var theirs = await bus.InvokeForTenantAsync<AuditEventPage>(other.Id, new GetSyncAuditEvents(filter), default, TimeSpan.FromSeconds(10));
        theirs.Total.ShouldBe(0);
        theirs.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task bnb_burn_is_read_and_set_on_binance_and_the_change_is_an_event()
    {
        var user = new User(sync);
        var credential = await user.ConnectAsync(sync.Simulator.Account("binance", "demo"));
        var (status, before) = await user.GetAsync("/api/exchange/bnb-burn?exchange=binance");
        status.ShouldBe(200, before.ToJsonString());
        var flipped = !before["spot_bnb_burn"]!.GetValue<bool>();

        var (setStatus, set) = await user.PostAsync("/api/exchange/bnb-burn", new { spot_bnb_burn = flipped, exchange = "binance" });
        setStatus.ShouldBe(200, set.ToJsonString());
        set["spot_bnb_burn"]!.GetValue<bool>().ShouldBe(flipped);
        set["exchange"]!.GetValue<string>().ShouldBe("binance");
        (await user.GetAsync("/api/exchange/bnb-burn?exchange=binance")).Body["spot_bnb_burn"]!.GetValue<bool>().ShouldBe(flipped);

        using var scope = sync.Gateway.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var events = await bus.InvokeForTenantAsync<AuditEventPage>(user.Id, new GetSyncAuditEvents(new AuditFilter("binance", credential, null, null, 10, 0)), default, TimeSpan.FromSeconds(10));
        var changed = events.Items.Single(i => i.EventType == "sync.bnb_burn_changed.v1");
        changed.Data.GetProperty("spot_bnb_burn").GetBoolean().ShouldBe(flipped);
        await user.PostAsync("/api/exchange/bnb-burn", new { spot_bnb_burn = !flipped, exchange = "binance" });
    }

    [Fact]
    public async Task bnb_burn_on_binance_us_or_another_exchange_is_a_clear_400()
    {
        var user = new User(sync);
        await user.ConnectAsync(sync.Simulator.Account("binanceus", "demo"));
        var (status, body) = await user.GetAsync("/api/exchange/bnb-burn");
        status.ShouldBe(400);
        body["detail"]!.GetValue<string>().ShouldContain("no BNB-burn API");
        (await user.PostAsync("/api/exchange/bnb-burn", new { spot_bnb_burn = true })).Status.ShouldBe(400);
        var (krakenStatus, kraken) = await user.GetAsync("/api/exchange/bnb-burn?exchange=kraken");
        krakenStatus.ShouldBe(400);
        kraken["detail"]!.GetValue<string>().ShouldContain("binance and binanceus");
        (await user.GetAsync("/api/exchange/dust-assets?exchange=kraken")).Status.ShouldBe(400);
        (await user.PostAsync("/api/exchange/bnb-burn", new { exchange = "binance" })).Status.ShouldBe(422);
    }

    [Theory]
    [InlineData("binance")]
    [InlineData("binanceus")]
    public async Task dust_assets_list_the_small_balances_the_exchange_would_convert(string exchange)
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account(exchange, "demo");
        await user.ConnectAsync(demo);
        var served = await ((IDustAssetsAccount)sync.Client(exchange)).GetDustAssetsAsync(SyncSuite.Keys(demo));

        var (status, body) = await user.GetAsync($"/api/exchange/dust-assets?exchange={exchange}");

        status.ShouldBe(200, body.ToJsonString());
        body["exchange"]!.GetValue<string>().ShouldBe(exchange);
        served.Assets.Count.ShouldBeGreaterThan(0);
        body["assets"]!.AsArray().Select(a => (string)a!["asset"]!).ShouldBe(served.Assets.Select(a => a.Asset));
        ((decimal?)body["total_to_btc"]).ShouldBe(served.TotalToBtc);
    }
}
