using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Bitcain.Exchanges.Tests.Telemetry;

/// <summary>The exchange meters, recorded by the clients as the services build them, against the simulator over HTTP.</summary>
public class ExchangeMetricsTests : IClassFixture<SimulatorFixture>, IDisposable
{
    private readonly RunningSimulator sim;
    private readonly MeasurementRecorder recorded = new(ExchangeMetrics.MeterName);

    public ExchangeMetricsTests(SimulatorFixture fixture)
    {
        sim = fixture.Sim;
        sim.Reset();
    }

    public void Dispose() => recorded.Dispose();

    private IExchangeClient Client(string exchange, IDictionary<string, string?>? extra = null)
    {
        var settings = ExchangeServiceCollectionExtensions.ImplementedExchanges.ToDictionary(id => $"Exchanges:{id}:BaseUrl", id => (string?)sim.BaseUrl(id));
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return new ServiceCollection().AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get(exchange);
    }

    private ExchangeApiCredentials Credentials(string exchange)
    {
        var a = sim.Account(exchange, "demo");
        return new ExchangeApiCredentials(a.ApiKey, a.ApiSecret, a.Passphrase);
    }

    [Fact]
    public async Task a_429_from_the_exchange_is_counted_for_that_exchange_and_the_retried_call_is_ok()
    {
        sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "binance", Path = "/api/v3/account", StatusCode = 429, RetryAfterSeconds = 1, Times = 1 });
        var client = Client("binance", new Dictionary<string, string?> { ["Exchanges:binance:RateLimit"] = "100000" });

        (await client.GetBalancesAsync(Credentials("binance"))).ShouldNotBeEmpty();

        recorded.Sum("bitcain.exchange.rate_limit.refusals", ("exchange", "binance"), ("http.response.status_code", "429")).ShouldBeGreaterThanOrEqualTo(1);
        recorded.Of("bitcain.exchange.rate_limit.refusals").ShouldAllBe(m => m.Unit == "{response}");
        recorded.Sum("bitcain.exchange.calls", ("exchange", "binance"), ("operation", "balances"), ("outcome", "ok")).ShouldBeGreaterThanOrEqualTo(1);
        var durations = recorded.Of("bitcain.exchange.call.duration", ("exchange", "binance"), ("operation", "balances"), ("outcome", "ok"));
        durations.ShouldNotBeEmpty();
        // The retry waited out the exchange's one-second Retry-After inside the call.
        durations.Max(m => m.Value).ShouldBeGreaterThanOrEqualTo(0.9);
        durations.ShouldAllBe(m => m.Unit == "s");
    }

    [Fact]
    public async Task a_long_rate_limit_fails_the_call_as_rate_limited()
    {
        sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "okx", Path = "/api/v5/account/balance", StatusCode = 429, RetryAfterSeconds = 600, Times = 1 });

        var e = await Should.ThrowAsync<ExchangeException>(() => Client("okx").GetBalancesAsync(Credentials("okx")));

        e.ErrorType.ShouldBe(ExchangeErrorType.RateLimited);
        recorded.Sum("bitcain.exchange.calls", ("exchange", "okx"), ("operation", "balances"), ("outcome", "rate_limited")).ShouldBeGreaterThanOrEqualTo(1);
        recorded.Sum("bitcain.exchange.rate_limit.refusals", ("exchange", "okx")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task a_rejected_signature_is_an_auth_outcome_and_no_tag_carries_the_key()
    {
        var demo = Credentials("bybit");
        var wrong = demo with { ApiSecret = "not-the-secret-" + Guid.NewGuid() };

        var e = await Should.ThrowAsync<ExchangeException>(() => Client("bybit").GetBalancesAsync(wrong));

        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        recorded.Sum("bitcain.exchange.calls", ("exchange", "bybit"), ("operation", "balances"), ("outcome", "auth")).ShouldBeGreaterThanOrEqualTo(1);
        foreach (var m in recorded.All)
        foreach (var (tag, value) in m.Tags)
        {
            tag.ShouldBeOneOf("exchange", "operation", "outcome", "budget", "http.response.status_code");
            (value ?? "").ShouldNotContain(demo.ApiKey);
            (value ?? "").ShouldNotContain(wrong.ApiSecret);
        }
    }

    [Fact]
    public async Task an_unreadable_answer_is_a_malformed_response_outcome()
    {
        sim.Faults.Add(new Fault(FaultKind.MalformedJson) { Exchange = "gate_io", Times = 1 });

        await Should.ThrowAsync<ExchangeException>(() => Client("gate_io").GetMarketsAsync());

        recorded.Sum("bitcain.exchange.calls", ("exchange", "gate_io"), ("operation", "markets"), ("outcome", "malformed_response")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task calls_that_wait_for_our_own_budget_record_the_wait()
    {
        // A counter of 2 that drains 4 per second: of six calls at once, four must wait for it.
        var client = Client("kraken", new Dictionary<string, string?> { ["Exchanges:kraken:RateLimit"] = "2", ["Exchanges:kraken:RateDecayPerSecond"] = "4" });
        var demo = Credentials("kraken");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetBalancesAsync(demo)));

        var waits = recorded.Of("bitcain.exchange.rate_limit.wait.duration", ("exchange", "kraken"), ("budget", "private_call_counter"));
        waits.Count.ShouldBeGreaterThanOrEqualTo(4);
        waits.Max(m => m.Value).ShouldBeGreaterThan(0.2);
    }

    [Fact]
    public async Task each_trade_page_is_one_call()
    {
        var client = Client("binance");
        var pages = 0;
        await foreach (var _ in client.GetMyTradesAsync(Credentials("binance"), new MyTradesQuery("BTC/USDT", PageSize: 50)))
            if (++pages == 2) break;

        pages.ShouldBeGreaterThan(0);
        recorded.Sum("bitcain.exchange.calls", ("exchange", "binance"), ("operation", "trade_page"), ("outcome", "ok")).ShouldBeGreaterThanOrEqualTo(pages);
    }
}
