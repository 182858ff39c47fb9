using Bitcain.Market.ExchangeHealth;
using Shouldly;

namespace Bitcain.Market.Tests;

public sealed class HealthTransitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static HealthSample Sample(string status, int second) =>
        new("binance", status, 12.5, T0.AddSeconds(second), status == HealthStatus.Ok ? null : "exchange_unavailable: maintenance");

    [Fact]
    public void ok_then_down_then_ok_gives_exactly_two_transition_events()
    {
        string? last = null;
        var events = new List<ExchangeHealthChanged>();
        foreach (var sample in new[] { Sample("ok", 0), Sample("ok", 30), Sample("down", 60), Sample("down", 90), Sample("ok", 120) })
        {
            if (HealthTransitions.Decide(last, sample) is { } change) events.Add(change);
            last = events.LastOrDefault()?.To ?? last;
        }

        events.Select(e => (e.From, e.To, e.At)).ShouldBe([("ok", "down", T0.AddSeconds(60)), ("down", "ok", T0.AddSeconds(120))]);
        events[0].Error.ShouldBe("exchange_unavailable: maintenance");
    }

    [Fact]
    public void an_exchange_first_seen_down_records_that_it_went_down()
    {
        HealthTransitions.Decide(null, Sample("down", 0)).ShouldNotBeNull().From.ShouldBe("ok");
    }

    [Fact]
    public void the_overall_status_is_ok_only_when_every_exchange_is()
    {
        HealthStatus.Overall(["ok", "ok"]).ShouldBe("ok");
        HealthStatus.Overall(["ok", "down"]).ShouldBe("degraded");
        HealthStatus.Overall(["down", "down"]).ShouldBe("down");
    }

    [Fact]
    public void each_exchange_has_its_own_stable_stream()
    {
        ExchangeHealthStreams.StreamOf("binance").ShouldBe(ExchangeHealthStreams.StreamOf("binance"));
        ExchangeHealthStreams.StreamOf("binance").ShouldNotBe(ExchangeHealthStreams.StreamOf("kraken"));
    }
}
