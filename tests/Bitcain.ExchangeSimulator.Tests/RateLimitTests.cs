using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task binance_answers_429_with_retry_after_when_over_the_weight_and_418_when_the_client_keeps_going()
    {
        // Pinned to the start of a minute so the weight window cannot roll over mid-test.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new SimulatorOptions { Time = clock };
        options.Binance.RequestWeightPerMinute = 50;
        options.Binance.RequestsIgnoring429BeforeBan = 2;
        await using var sim = await SimulatorHost.StartAsync(options);
        using var http = new HttpClient();
        var url = sim.BaseUrl("binance") + "/api/v3/exchangeInfo?symbol=BTCUSDT";

        using (var first = await http.GetAsync(url))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
            first.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single().ShouldBe("20");
        }
        using (var second = await http.GetAsync(url)) second.StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var limited = await http.GetAsync(url))
        {
            limited.StatusCode.ShouldBe((HttpStatusCode)429);
            limited.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(60));
            (await limited.Content.ReadAsStringAsync()).ShouldContain("\"code\":-1003");
        }
        clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 2; i++)
        {
            using var ignored = await http.GetAsync(url);
            ignored.StatusCode.ShouldBe((HttpStatusCode)429);
            ignored.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(50));
        }
        using (var banned = await http.GetAsync(url))
        {
            banned.StatusCode.ShouldBe((HttpStatusCode)418);
            banned.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromMinutes(2));
            (await banned.Content.ReadAsStringAsync()).ShouldContain("IP banned until");
        }
        // The ban outlives the minute window and ends when Retry-After said.
        clock.Advance(TimeSpan.FromSeconds(60));
        using (var stillBanned = await http.GetAsync(url)) stillBanned.StatusCode.ShouldBe((HttpStatusCode)418);
        clock.Advance(TimeSpan.FromSeconds(61));
        using (var free = await http.GetAsync(url)) free.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task binance_sapi_weight_is_counted_apart_from_api_weight()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new SimulatorOptions { Time = clock };
        options.Binance.RequestWeightPerMinute = 1;
        await using var sim = await SimulatorHost.StartAsync(options);
        using var http = new HttpClient();
        using (var api = await http.GetAsync(sim.BaseUrl("binance") + "/api/v3/ping")) api.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var sapi = await http.GetAsync(sim.BaseUrl("binance") + "/sapi/v1/system/status"))
        {
            sapi.StatusCode.ShouldBe(HttpStatusCode.OK);
            sapi.Headers.GetValues("X-SAPI-USED-IP-WEIGHT-1M").Single().ShouldBe("1");
        }
        using (var over = await http.GetAsync(sim.BaseUrl("binance") + "/api/v3/ping")) over.StatusCode.ShouldBe((HttpStatusCode)429);
        clock.Advance(TimeSpan.FromMinutes(1));
        using (var next = await http.GetAsync(sim.BaseUrl("binance") + "/api/v3/ping")) next.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task kraken_refuses_calls_over_the_counter_and_admits_them_again_as_it_decays()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new SimulatorOptions { Time = clock };
        options.Kraken.MaxCounter = 4;
        options.Kraken.DecayPerSecond = 1;
        await using var sim = await SimulatorHost.StartAsync(options);
        using var http = new HttpClient();
        var demo = sim.Account("kraken", "demo");
        var kraken = sim.BaseUrl("kraken");
        ulong nonce = 1;

        // TradesHistory costs 2: two fit under 4, the third does not.
        for (var i = 0; i < 2; i++)
            (await http.JsonAsync(Signing.KrakenPost(kraken, "/0/private/TradesHistory", demo, nonce++))).Body.GetProperty("error").GetArrayLength().ShouldBe(0);
        var refused = await http.JsonAsync(Signing.KrakenPost(kraken, "/0/private/TradesHistory", demo, nonce++));
        refused.Status.ShouldBe(200);
        refused.Body.GetProperty("error")[0].GetString().ShouldBe("EAPI:Rate limit exceeded");

        clock.Advance(TimeSpan.FromSeconds(2));
        (await http.JsonAsync(Signing.KrakenPost(kraken, "/0/private/TradesHistory", demo, nonce++))).Body.GetProperty("error").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task kraken_locks_out_a_source_that_keeps_failing_authentication_when_asked_to()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new SimulatorOptions { Time = clock };
        options.Kraken.FailedAuthenticationsBeforeLockout = 3;
        options.Kraken.LockoutDuration = TimeSpan.FromSeconds(30);
        await using var sim = await SimulatorHost.StartAsync(options);
        using var http = new HttpClient();
        var demo = sim.Account("kraken", "demo");
        var kraken = sim.BaseUrl("kraken");
        ulong nonce = 1;
        for (var i = 0; i < 3; i++)
            (await http.JsonAsync(Signing.KrakenPost(kraken, "/0/private/Balance", demo with { ApiKey = "nobody" }, nonce++)))
                .Body.GetProperty("error")[0].GetString().ShouldBe("EAPI:Invalid key");
        (await http.JsonAsync(Signing.KrakenPost(kraken, "/0/private/Balance", demo, nonce++)))
            .Body.GetProperty("error")[0].GetString().ShouldBe("EGeneral:Temporary lockout", "even a good key waits out the lockout");
        clock.Advance(TimeSpan.FromSeconds(31));
        (await http.JsonAsync(Signing.KrakenPost(kraken, "/0/private/Balance", demo, nonce++))).Body.GetProperty("error").GetArrayLength().ShouldBe(0);
    }
}
