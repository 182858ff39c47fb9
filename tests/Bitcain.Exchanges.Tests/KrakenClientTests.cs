using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.Kraken;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class KrakenClientTests
{
    private static readonly string AssetPairs = Fixture.Text("raw/kraken.AssetPairs.XBTUSDT.nautilus.json");
    private static HttpResponseMessage Ok(string json) => StubExchange.Json(json);
    private static readonly Dictionary<string, string?> Roomy = new() { ["Exchanges:kraken:RateLimit"] = "1000" };

    [Fact]
    public async Task a_private_call_signs_krakens_own_path_not_the_base_url_prefix()
    {
        var stub = new StubExchange(_ => Ok(Fixture.Text("raw/kraken.BalanceEx.json")));
        var client = TestClients.Client(stub, "kraken");

        (await client.GetBalancesAsync(TestClients.Kraken))["USD"].Locked.ShouldBe(1500m);

        var request = stub.Requests.Single();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.ToString().ShouldBe("http://sim.test/kraken/0/private/BalanceEx");
        request.Headers["API-Key"].ShouldBe(TestClients.Kraken.ApiKey);
        request.Headers["User-Agent"].ShouldNotBeNullOrEmpty();
        request.Body.ShouldStartWith("nonce=");
        request.Headers["API-Sign"].ShouldBe(KrakenSigner.Sign(TestClients.Kraken.ApiSecret, "/0/private/BalanceEx", request.BodyForm["nonce"], request.Body));
    }

    [Fact]
    public async Task concurrent_calls_with_one_key_reach_kraken_with_strictly_increasing_nonces()
    {
        var stub = new StubExchange(_ => Ok(Fixture.Text("raw/kraken.BalanceEx.json")));
        var client = TestClients.Client(stub, "kraken", new FakeTimeProvider(DateTimeOffset.UtcNow), Roomy);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => client.GetBalancesAsync(TestClients.Kraken))));

        var nonces = stub.Requests.Select(r => long.Parse(r.BodyForm["nonce"], CultureInfo.InvariantCulture)).ToList();
        nonces.Count.ShouldBe(40);
        nonces.Zip(nonces.Skip(1)).ShouldAllBe(p => p.Second > p.First);
    }

    [Fact]
    public void the_nonce_source_never_repeats_a_nonce_for_a_key_even_in_one_millisecond()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var nonces = NonceSource.Milliseconds(time);
        var perThread = new ConcurrentBag<long[]>();

        Parallel.For(0, 8, _ => perThread.Add(Enumerable.Range(0, 5000).Select(_ => nonces.Next("key-a")).ToArray()));

        var all = perThread.SelectMany(n => n).ToList();
        all.Distinct().Count().ShouldBe(all.Count);
        perThread.ShouldAllBe(seq => seq.Zip(seq.Skip(1)).All(p => p.Second > p.First));
        nonces.Next("key-b").ShouldBe(1_700_000_000_000); // another key has its own sequence
        time.Advance(TimeSpan.FromDays(1));
        nonces.Next("key-a").ShouldBe(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task an_invalid_nonce_is_retried_once_with_a_new_nonce()
    {
        var calls = 0;
        var stub = new StubExchange(_ => Interlocked.Increment(ref calls) == 1
            ? Ok("""{"error":["EAPI:Invalid nonce"]}""")
            : Ok(Fixture.Text("raw/kraken.BalanceEx.json")));
        await TestClients.Client(stub, "kraken").GetBalancesAsync(TestClients.Kraken);
        var nonces = stub.Requests.Select(r => long.Parse(r.BodyForm["nonce"], CultureInfo.InvariantCulture)).ToList();
        nonces.Count.ShouldBe(2);
        nonces[1].ShouldBeGreaterThan(nonces[0]);
        stub.Requests[1].Headers["API-Sign"].ShouldNotBe(stub.Requests[0].Headers["API-Sign"]);
    }

    [Fact]
    public async Task a_rate_limit_answer_longer_than_we_wait_is_returned_as_rate_limited()
    {
        var stub = new StubExchange(_ => Ok("""{"error":["EAPI:Rate limit exceeded"]}"""));
        var client = TestClients.Client(stub, "kraken", config: new Dictionary<string, string?> { ["Exchanges:kraken:MaxRetryAfterSeconds"] = "1" });
        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(TestClients.Kraken));
        e.ErrorType.ShouldBe(ExchangeErrorType.RateLimited);
        e.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task the_call_counter_holds_a_burst_back_until_it_has_decayed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var stub = new StubExchange(_ => Ok(Fixture.Text("raw/kraken.BalanceEx.json")));
        var client = TestClients.Client(stub, "kraken", time); // Starter tier: 15 calls, decaying 0.33/s

        var burst = Enumerable.Range(0, 17).Select(_ => client.GetBalancesAsync(TestClients.Kraken)).ToList();
        await Task.Delay(300);
        stub.Requests.Count.ShouldBe(15);

        time.Advance(TimeSpan.FromSeconds(7));
        await Task.WhenAll(burst).WaitAsync(TimeSpan.FromSeconds(5));
        stub.Requests.Count.ShouldBe(17);
    }

    [Fact]
    public async Task trades_history_pages_by_offset_to_the_end_with_a_pinned_end_time()
    {
        var store = Enumerable.Range(1, 120).Select(i => (Id: $"T{i:000}", Pair: i % 2 == 0 ? "XBTUSDT" : "ETHUSDT", Time: 1_700_000_000m + i)).ToList();
        var stub = new StubExchange(c => c.Path.EndsWith("AssetPairs") ? Ok(AssetPairs) : Ok(TradesHistory(store, c)));
        var client = TestClients.Client(stub, "kraken", config: Roomy);

        var pages = await client.GetMyTradesAsync(TestClients.Kraken, new MyTradesQuery(PageSize: 500)).ToListAsync();

        pages.Select(p => p.Trades.Count).ShouldBe([50, 50, 20]);
        pages.SelectMany(p => p.Trades).Select(t => t.Id).Order().ShouldBe(store.Select(t => t.Id));
        pages.SelectMany(p => p.Trades).Where(t => t.ExchangeSymbol == "ETHUSDT").ShouldAllBe(t => t.Symbol == "ETH/USDT");
        var calls = stub.To("/0/private/TradesHistory");
        calls.Select(c => c.BodyForm["ofs"]).ShouldBe(["0", "50", "100"]);
        calls.Select(c => c.BodyForm["end"]).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task a_cursor_resumes_at_the_same_offset_and_pinned_end()
    {
        var store = Enumerable.Range(1, 120).Select(i => (Id: $"T{i:000}", Pair: "XBTUSDT", Time: 1_700_000_000m + i)).ToList();
        var stub = new StubExchange(c => c.Path.EndsWith("AssetPairs") ? Ok(AssetPairs) : Ok(TradesHistory(store, c)));
        var client = TestClients.Client(stub, "kraken", config: Roomy);
        var first = await client.GetMyTradesAsync(TestClients.Kraken, new MyTradesQuery()).FirstAsync();

        var rest = await client.GetMyTradesAsync(TestClients.Kraken, new MyTradesQuery(Cursor: first.NextCursor)).ToListAsync();

        first.Trades.Concat(rest.SelectMany(p => p.Trades)).Select(t => t.Id).Order().ShouldBe(store.Select(t => t.Id));
        stub.To("/0/private/TradesHistory").Select(c => c.BodyForm["end"]).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task trades_history_filters_a_symbol_locally_and_passes_since_as_start_seconds()
    {
        var store = Enumerable.Range(1, 120).Select(i => (Id: $"T{i:000}", Pair: i % 2 == 0 ? "XBTUSDT" : "ETHUSDT", Time: 1_700_000_000m + i)).ToList();
        var stub = new StubExchange(c => c.Path.EndsWith("AssetPairs") ? Ok(AssetPairs) : Ok(TradesHistory(store, c)));
        var client = TestClients.Client(stub, "kraken", config: Roomy);

        var trades = (await client.GetMyTradesAsync(TestClients.Kraken, new MyTradesQuery("BTC/USDT", DateTimeOffset.FromUnixTimeSeconds(1_699_999_000))).ToListAsync())
            .SelectMany(p => p.Trades).ToList();

        trades.Count.ShouldBe(60);
        trades.ShouldAllBe(t => t.Symbol == "BTC/USDT");
        stub.To("/0/private/TradesHistory").ShouldAllBe(c => c.BodyForm["start"] == "1699999000");
    }

    [Fact]
    public async Task ticker_asks_for_the_pair_id_of_the_unified_symbol()
    {
        var ticker = Fixture.Json("ccxt/kraken.response.fetchTicker+fetchTrades.json").GetProperty("methods").GetProperty("fetchTicker")[0].GetProperty("httpResponse");
        var stub = new StubExchange(c => c.Path.EndsWith("AssetPairs") ? Ok(AssetPairs) : Ok(ticker.GetRawText()));
        var client = TestClients.Client(stub, "kraken");
        foreach (var spelling in new[] { "BTC/USDT", "btc_usdt", "XBTUSDT", "BTCUSDT", "XBT/USDT" })
            (await client.GetTickerAsync(spelling)).Symbol.ShouldBe("BTC/USDT");
        stub.To("/0/public/Ticker").ShouldAllBe(r => r.Query["pair"] == "XBTUSDT");
    }

    [Fact]
    public async Task key_permissions_and_health()
    {
        var stub = new StubExchange(c => c.Path switch
        {
            "/kraken/0/private/GetApiKeyInfo" => Ok(Fixture.Text("raw/kraken.GetApiKeyInfo.json")),
            "/kraken/0/public/Time" => Ok(Fixture.Text("raw/kraken.Time.json")),
            _ => Ok("""{"error":[],"result":{"status":"maintenance","timestamp":"2025-11-11T00:17:10Z"}}"""),
        });
        var client = TestClients.Client(stub, "kraken");
        (await client.GetKeyPermissionsAsync(TestClients.Kraken)).ShouldBe(new KeyPermissions(true, true, true));
        var health = await client.GetHealthAsync();
        health.Status.ShouldBe(ExchangeSystemStatus.Maintenance);
        health.ServerTime!.Value.ToUnixTimeSeconds().ShouldBe(1762820224);
    }

    /// <summary>What TradesHistory answers: newest first, 50 from <c>ofs</c>, with the total count.</summary>
    private static string TradesHistory(List<(string Id, string Pair, decimal Time)> store, Captured c)
    {
        var ofs = int.Parse(c.BodyForm["ofs"], CultureInfo.InvariantCulture);
        var page = store.OrderByDescending(t => t.Time).Skip(ofs).Take(50)
            .ToDictionary(t => t.Id, t => new { ordertxid = "O" + t.Id, pair = t.Pair, time = t.Time, type = "buy", ordertype = "limit", price = "100.0", cost = "10.0", fee = "0.026", vol = "0.1", maker = false });
        return JsonSerializer.Serialize(new { error = Array.Empty<string>(), result = new { trades = page, count = store.Count } });
    }
}
