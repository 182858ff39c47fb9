using Bitcain.Exchanges.RateLimits;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class RateLimiterTests
{
    [Fact]
    public async Task request_weight_is_granted_up_to_the_limit_then_waits_for_the_next_minute()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 30, TimeSpan.Zero));
        var limiter = new RequestWeightLimiter(100, time);
        for (var i = 0; i < 5; i++) await limiter.AcquireAsync(20, CancellationToken.None);
        limiter.UsedThisMinute.ShouldBe(100);

        var next = limiter.AcquireAsync(20, CancellationToken.None).AsTask();
        await Task.Delay(100);
        next.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        next.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        limiter.UsedThisMinute.ShouldBe(20);
    }

    [Fact]
    public async Task a_back_off_stops_every_caller_until_retry_after_has_passed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var limiter = new RequestWeightLimiter(6000, time);
        limiter.BackOff(TimeSpan.FromSeconds(10));
        var waiting = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        await Task.Delay(100);
        waiting.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(10));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task the_kraken_counter_decays_and_is_kept_per_key()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var counter = new DecayingCallCounter(4, 0.5, time);
        await counter.AcquireAsync("a", 2, CancellationToken.None);
        await counter.AcquireAsync("a", 2, CancellationToken.None);
        await counter.AcquireAsync("b", 2, CancellationToken.None);
        counter.LevelOf("a").ShouldBe(4);

        var third = counter.AcquireAsync("a", 1, CancellationToken.None).AsTask();
        await Task.Delay(100);
        third.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(2)); // 0.5/s for 2 s frees one call
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        counter.LevelOf("a").ShouldBe(4, 0.0001);
        counter.LevelOf("b").ShouldBe(1, 0.0001);
    }
}
