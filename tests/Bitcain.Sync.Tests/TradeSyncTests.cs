using Bitcain.Testing;
using System.Text.Json.Nodes;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

[Collection(SyncCollection.Name)]
public sealed class TradeSyncTests(SyncSuite sync)
{
    private static readonly string[] BinanceDemoSymbols = ["BTC/USDT", "ETH/USDT", "BNB/USDT", "ETH/BTC", "SOL/USDT"];

    private static async Task<List<JsonNode>> AllStoredAsync(User user, string exchange, string extra = "")
    {
        var all = new List<JsonNode>();
        for (var offset = 0; ; offset += 1000)
        {
            var (status, body) = await user.GetAsync($"/api/exchange/trades?exchange={exchange}&limit=1000&offset={offset}{extra}");
            status.ShouldBe(200, body.ToJsonString());
            all.AddRange(body["trades"]!.AsArray().Select(t => t!));
            if (!body["has_more"]!.GetValue<bool>()) return all;
        }
    }

    private async Task<long> RowsInDatabaseAsync(string user)
    {
        await using var conn = new NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM sync.trades WHERE tenant_id = $1", conn) { Parameters = { new() { Value = user } } };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static void ShouldMatch(JsonNode stored, Trade served)
    {
        stored["exchange_trade_id"]!.GetValue<string>().ShouldBe(served.Id);
        stored["symbol"]!.GetValue<string>().ShouldBe(served.Symbol);
        stored["side"]!.GetValue<string>().ShouldBe(served.Side == TradeSide.Buy ? "buy" : "sell");
        stored["price"]!.GetValue<decimal>().ShouldBe(served.Price);
        stored["amount"]!.GetValue<decimal>().ShouldBe(served.Amount);
        stored["total"]!.GetValue<decimal>().ShouldBe(served.Cost);
        ((decimal?)stored["fee"]).ShouldBe(served.Fee);
        ((string?)stored["fee_currency"]).ShouldBe(served.FeeCurrency);
        DateTimeOffset.Parse((string)stored["trade_timestamp"]!).ShouldBe(served.Timestamp);
        stored["sync_status"]!.GetValue<string>().ShouldBe("synced");
    }

    [Fact]
    public async Task binance_trades_of_every_held_symbol_arrive_exactly_through_every_page_and_a_second_sync_stores_nothing_new()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binance", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, BinanceDemoSymbols);
        served.Count.ShouldBe(360);

        // 50 a page: BTC/USDT alone takes three pages.
        var first = await user.SyncTradesAsync("binance", "&limit=50");
        first["success"]!.GetValue<bool>().ShouldBeTrue(first.ToJsonString());
        first["trades_synced"]!.GetValue<int>().ShouldBe(served.Count);
        first["trades_duplicate"]!.GetValue<int>().ShouldBe(0);

        var stored = await AllStoredAsync(user, "binance");
        stored.Count.ShouldBe(served.Count);
        var byKey = stored.ToDictionary(t => ((string)t["symbol"]!, (string)t["exchange_trade_id"]!));
        foreach (var trade in served) ShouldMatch(byKey[(trade.Symbol, trade.Id)], trade);
        var stamps = stored.Select(t => DateTimeOffset.Parse((string)t["trade_timestamp"]!)).ToList();
        stamps.ShouldBe(stamps.OrderByDescending(s => s).ToList());

        var second = await user.SyncTradesAsync("binance");
        second["success"]!.GetValue<bool>().ShouldBeTrue();
        second["trades_synced"]!.GetValue<int>().ShouldBe(0);
        second["trades_duplicate"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(BinanceDemoSymbols.Length);
        (await RowsInDatabaseAsync(user.Id)).ShouldBe(served.Count);

        var again = await user.SyncTradesAsync("binance", "&since=2026-09-25&symbol=BTCUSDT");
        again["trades_synced"]!.GetValue<int>().ShouldBe(0);
        again["trades_duplicate"]!.GetValue<int>().ShouldBe(served.Count(t => t.Symbol == "BTC/USDT"));
    }

    [Fact]
    public async Task kraken_trades_arrive_through_every_offset_page()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("kraken", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, [null]);
        served.Count.ShouldBeGreaterThan(100); // more than two of Kraken's 50-trade pages

        var result = await user.SyncTradesAsync("kraken");
        result["success"]!.GetValue<bool>().ShouldBeTrue(result.ToJsonString());
        result["trades_synced"]!.GetValue<int>().ShouldBe(served.Count);

        var stored = (await AllStoredAsync(user, "kraken")).ToDictionary(t => (string)t["exchange_trade_id"]!);
        stored.Count.ShouldBe(served.Count);
        foreach (var trade in served) ShouldMatch(stored[trade.Id], trade);

        var second = await user.SyncTradesAsync("kraken");
        second["trades_synced"]!.GetValue<int>().ShouldBe(0);
        (await RowsInDatabaseAsync(user.Id)).ShouldBe(served.Count);
    }

    [Fact]
    public async Task a_sync_longer_than_the_gateway_wait_says_it_is_still_running_and_lands_when_it_ends()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("kraken", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, [null]);

        // A gateway that waits one second, and an exchange that answers every page of this key slowly.
        Environment.SetEnvironmentVariable("Gateway__SyncWaitSeconds", "1");
        await using var impatient = await sync.Suite.StartAsync<Bitcain.Gateway.Program>();
        Environment.SetEnvironmentVariable("Gateway__SyncWaitSeconds", "120");
        var slow = sync.Simulator.Faults.Add(new Fault(FaultKind.Latency)
        {
            Exchange = "kraken", ApiKey = demo.ApiKey, Path = "/0/private/TradesHistory", Latency = TimeSpan.FromMilliseconds(700),
        });
        try
        {
            var http = impatient.Server.CreateClient();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For(user.Id));
            var response = await http.PostAsync("/api/exchange/trades/sync?exchange=kraken", null);
            ((int)response.StatusCode).ShouldBe(200);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            body["success"]!.GetValue<bool>().ShouldBeTrue(body.ToJsonString());
            body["error"]!.GetValue<string>().ShouldStartWith("sync still running");
            body["trades_synced"]!.GetValue<int>().ShouldBe(0);

            var deadline = DateTime.UtcNow.AddSeconds(60);
            var stored = 0;
            while (DateTime.UtcNow < deadline && stored < served.Count)
            {
                await Task.Delay(500);
                stored = (await user.GetAsync("/api/exchange/trades/stats?exchange=kraken")).Body["total_trades"]!.GetValue<int>();
            }
            stored.ShouldBe(served.Count);
        }
        finally
        {
            sync.Simulator.Faults.Remove(slow);
        }
    }

    [Fact]
    public async Task two_concurrent_syncs_of_one_account_make_one_walk_and_store_each_trade_once()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binanceus", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, ["BTC/USD", "ETH/USD", "SOL/USD", "BTC/USDT", "ADA/USD"]);
        var callsBefore = sync.Simulator.Requests.Count("binanceus", "/api/v3/myTrades");

        var results = await Task.WhenAll(user.SyncTradesAsync("binanceus", "&limit=20"), user.SyncTradesAsync("binanceus", "&limit=20"));

        // The second request joined the first: both answer with the one walk's outcome.
        results.ShouldAllBe(r => r["success"]!.GetValue<bool>());
        results.ShouldAllBe(r => r["trades_synced"]!.GetValue<int>() == served.Count);
        (await RowsInDatabaseAsync(user.Id)).ShouldBe(served.Count);
        var oneWalk = sync.Simulator.Requests.Count("binanceus", "/api/v3/myTrades") - callsBefore;

        // A third sync walks every market again (one call each where nothing is new): two walks at once would cost twice that.
        var again = await user.SyncTradesAsync("binanceus", "&limit=20");
        again["trades_synced"]!.GetValue<int>().ShouldBe(0);
        var walkAgain = sync.Simulator.Requests.Count("binanceus", "/api/v3/myTrades") - callsBefore - oneWalk;
        oneWalk.ShouldBeLessThan(walkAgain * 3 / 2, $"two syncs at once took {oneWalk} myTrades calls; one sync alone takes {walkAgain}");
    }

    [Fact]
    public async Task a_rate_limit_in_the_middle_of_a_sync_is_waited_out_and_the_sync_finishes()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binance", "readonly");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, ["BTC/USDT"]);
        var fault = sync.Simulator.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "binance", Path = "/api/v3/myTrades", RetryAfterSeconds = 1, Times = 1 });
        try
        {
            var result = await user.SyncTradesAsync("binance", "&limit=10&symbol=BTC/USDT");
            result["success"]!.GetValue<bool>().ShouldBeTrue(result.ToJsonString());
            result["trades_synced"]!.GetValue<int>().ShouldBe(served.Count);
            sync.Simulator.Faults.Active.Where(f => f.Id == fault).ShouldAllBe(f => f.Hits >= 1); // it fired
        }
        finally { sync.Simulator.Faults.Remove(fault); }
    }

    [Fact]
    public async Task an_outage_during_a_trade_sync_is_success_false_with_exchange_unavailable()
    {
        var user = new User(sync);
        var account = sync.Simulator.Account("kraken", "readonly");
        await user.ConnectAsync(account);
        var fault = sync.Simulator.Faults.Add(new Fault(FaultKind.ServerError) { Exchange = "kraken", ApiKey = account.ApiKey, StatusCode = 503 });
        try
        {
            var result = await user.SyncTradesAsync("kraken");
            result["success"]!.GetValue<bool>().ShouldBeFalse(result.ToJsonString());
            result["error_type"]!.GetValue<string>().ShouldBe("exchange_unavailable", result.ToJsonString());
        }
        finally { sync.Simulator.Faults.Remove(fault); }
    }

    [Fact]
    public async Task a_trade_sync_without_credentials_says_no_credentials()
    {
        var result = await new User(sync).SyncTradesAsync("binance");
        result["success"]!.GetValue<bool>().ShouldBeFalse();
        result["error_type"]!.GetValue<string>().ShouldBe("no_credentials");
    }
}
