using System.Text.Json.Nodes;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>
/// A sync that cannot finish says what it covered, records why, and the next one goes on from where it stopped:
/// nothing is skipped, whatever order the exchange pages in.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class InterruptedTradeSyncTests(SyncSuite sync)
{
    private static HashSet<string> Keys(IEnumerable<Trade> trades) => trades.Select(t => t.ExchangeSymbol + ":" + t.Id).ToHashSet();

    [Fact]
    public async Task a_binance_walk_cut_by_the_exchange_budget_says_what_it_covered_and_the_next_sync_resumes_and_completes()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binance", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, ["BTC/USDT", "ETH/USDT", "BNB/USDT", "ETH/BTC", "SOL/USDT"]);

        // Two hundred markets in, Binance says "back off for 11 s": longer than the client waits, so the walk stops there.
        var fault = sync.Simulator.Faults.Add(new Fault(FaultKind.RateLimited)
        {
            Exchange = "binance", ApiKey = demo.ApiKey, Path = "/api/v3/myTrades", After = 200, Times = 1, RetryAfterSeconds = 11,
        });
        var callsBefore = sync.Simulator.Requests.Count("binance", "/api/v3/myTrades");
        JsonNode cut;
        try { cut = await user.SyncTradesAsync("binance", "&limit=1000"); }
        finally { sync.Simulator.Faults.Remove(fault); }

        cut["success"]!.GetValue<bool>().ShouldBeFalse(cut.ToJsonString());
        cut["error_type"]!.GetValue<string>().ShouldBe("rate_limited");
        var error = cut["error"]!.GetValue<string>();
        error.ShouldContain("covered ");
        error.ShouldContain("the next sync resumes");
        var firstRunCalls = sync.Simulator.Requests.Count("binance", "/api/v3/myTrades") - callsBefore;
        (await sync.EventCountAsync(user.Id, "sync.sync_failed.v1")).ShouldBe(1);
        var storedAfterCut = await sync.StoredTradeKeysAsync(user.Id);
        cut["trades_synced"]!.GetValue<int>().ShouldBe(storedAfterCut.Count);

        var resumed = await user.SyncTradesAsync("binance", "&limit=1000");
        resumed["success"]!.GetValue<bool>().ShouldBeTrue(resumed.ToJsonString());
        (await sync.StoredTradeKeysAsync(user.Id)).SetEquals(Keys(served)).ShouldBeTrue();
        (storedAfterCut.Count + resumed["trades_synced"]!.GetValue<int>()).ShouldBe(served.Count);

        // It went on from its checkpoint: the two hundred markets walked before the cut were not asked again.
        var secondRunCalls = sync.Simulator.Requests.Count("binance", "/api/v3/myTrades") - callsBefore - firstRunCalls;
        var fullWalkCalls = await WalkCallsAsync(user);
        secondRunCalls.ShouldBeLessThan(fullWalkCalls - 150, $"the resumed run asked {secondRunCalls} times; a whole walk asks {fullWalkCalls}");
    }

    /// <summary>What walking every planned market once more costs (nothing new: one call a market, plus the last page of each traded one).</summary>
    private async Task<long> WalkCallsAsync(User user)
    {
        var before = sync.Simulator.Requests.Count("binance", "/api/v3/myTrades");
        (await user.SyncTradesAsync("binance", "&limit=1000"))["trades_synced"]!.GetValue<int>().ShouldBe(0);
        return sync.Simulator.Requests.Count("binance", "/api/v3/myTrades") - before;
    }

    [Fact]
    public async Task a_newest_first_walk_cut_in_the_middle_resumes_at_its_cursor_and_misses_no_older_trade()
    {
        // Kraken pages newest first: resuming "after the newest stored trade" would skip everything older than the cut.
        var user = new User(sync);
        var demo = sync.Simulator.Account("kraken", "demo");
        await user.ConnectAsync(demo);
        var served = await sync.ServedAsync(demo, [null]);
        served.Count.ShouldBeGreaterThan(150);

        var fault = sync.Simulator.Faults.Add(new Fault(FaultKind.ServerError)
        {
            Exchange = "kraken", ApiKey = demo.ApiKey, Path = "/0/private/TradesHistory", After = 2, Times = 1, StatusCode = 503,
        });
        JsonNode cut;
        try { cut = await user.SyncTradesAsync("kraken"); }
        finally { sync.Simulator.Faults.Remove(fault); }
        cut["success"]!.GetValue<bool>().ShouldBeFalse(cut.ToJsonString());
        cut["error_type"]!.GetValue<string>().ShouldBe("exchange_unavailable");
        cut["error"]!.GetValue<string>().ShouldContain("the next sync resumes");
        var storedAfterCut = await sync.StoredTradeKeysAsync(user.Id);
        storedAfterCut.Count.ShouldBe(100); // two pages of 50, the newest
        (await sync.EventCountAsync(user.Id, "sync.sync_failed.v1")).ShouldBe(1);

        var resumed = await user.SyncTradesAsync("kraken");
        resumed["success"]!.GetValue<bool>().ShouldBeTrue(resumed.ToJsonString());
        (await sync.StoredTradeKeysAsync(user.Id)).SetEquals(Keys(served)).ShouldBeTrue();
    }

    public static TheoryData<string, string?, string> MalformedAnswers => new()
    {
        // exchange, symbol, the body the exchange sends instead of its trades
        { "binance", "BTC/USDT", """[{"symbol":"BTCUSDT","id":"not-a-number","orderId":1,"price":{},"qty":"1","time":1}]""" },
        { "binance", "BTC/USDT", """{"rows":[]}""" },
        { "binance", "BTC/USDT", """[{"symbol":"BTCUSDT","id":7,"orderId":1,"orderListId":-1,"price":"1","qty":"1","quoteQty":"1","commission":"0","commissionAsset":"BNB","time":99999999999999999,"isBuyer":true,"isMaker":false,"isBestMatch":true}]""" },
        { "binance", "BTC/USDT", "[[]]" },
        { "binance", "BTC/USDT", "<html><body>upstream says hi</body></html>" },
        { "kraken", null, """{"error":[],"result":{"trades":{"T1":{"ordertxid":"O","pair":"XXBTZUSD","time":"yesterday","type":"buy"}},"count":1}}""" },
        { "kraken", null, """{"error":[],"result":[]}""" },
        { "bybit", null, """{"retCode":0,"retMsg":"OK","result":{"list":[{"symbol":"BTCUSDT","execTime":"-99999999999999999999"}]}}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task a_malformed_exchange_answer_is_a_typed_malformed_response_and_a_recorded_sync_failure(string exchange, string? symbol, string body)
    {
        var user = new User(sync);
        var account = sync.Simulator.Account(exchange, "readonly");
        await user.ConnectAsync(account);
        var path = exchange switch { "binance" => "/api/v3/myTrades", "kraken" => "/0/private/TradesHistory", _ => "/v5/execution/list" };
        var fault = sync.Simulator.Faults.Add(new Fault(FaultKind.Body) { Exchange = exchange, ApiKey = account.ApiKey, Path = path, Body = body });
        try
        {
            var result = await user.SyncTradesAsync(exchange, symbol is null ? "" : $"&symbol={Uri.EscapeDataString(symbol)}");
            result["success"]!.GetValue<bool>().ShouldBeFalse(result.ToJsonString());
            result["error_type"]!.GetValue<string>().ShouldBe("malformed_response", result.ToJsonString());
            (await sync.EventCountAsync(user.Id, "sync.sync_failed.v1")).ShouldBe(1);
        }
        finally { sync.Simulator.Faults.Remove(fault); }
    }

    [Fact]
    public async Task the_sync_status_shows_a_running_walk_with_markets_done_of_markets_planned()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binance", "readonly");
        await user.ConnectAsync(demo);
        var slow = sync.Simulator.Faults.Add(new Fault(FaultKind.Latency) { Exchange = "binance", ApiKey = demo.ApiKey, Path = "/api/v3/myTrades", Latency = TimeSpan.FromMilliseconds(5) });
        try
        {
            var running = user.SyncTradesAsync("binance");
            JsonNode? seen = null;
            for (var i = 0; i < 300 && seen is null && !running.IsCompleted; i++)
            {
                var (status, body) = await user.GetAsync("/api/exchange/sync/status?exchange=binance");
                status.ShouldBe(200, body.ToJsonString());
                var progress = body["accounts"]!.AsArray().Select(a => a!["running_trade_sync"]).FirstOrDefault(r => r is not null);
                if (progress is not null && progress["markets_done"]!.GetValue<int>() > 0) seen = progress;
                else await Task.Delay(100);
            }
            seen.ShouldNotBeNull("the status never showed the running sync");
            seen["markets_planned"]!.GetValue<int>().ShouldBeGreaterThan(seen["markets_done"]!.GetValue<int>());
            (await running)["success"]!.GetValue<bool>().ShouldBeTrue();

            // Once it has ended, nothing shows as running.
            for (var i = 0; i < 100; i++)
            {
                var (_, body) = await user.GetAsync("/api/exchange/sync/status?exchange=binance");
                if (body["accounts"]!.AsArray().All(a => a!["running_trade_sync"] is null)) return;
                await Task.Delay(100);
            }
            throw new ShouldAssertException("the finished sync still shows as running");
        }
        finally { sync.Simulator.Faults.Remove(slow); }
    }
}
