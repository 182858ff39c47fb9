using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>POST /api/exchange/validate with a new random key each time must not grow the clients' per-key tables forever.</summary>
public class PerKeyTableTests
{
    private static string RandomKey(Random random) => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())) + random.Next();

    [Fact]
    public void ten_thousand_random_keys_leave_the_nonce_table_bounded_by_the_keys_used_in_the_last_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var nonces = NonceSource.Milliseconds(time);
        var random = new Random(15);
        var peak = 0;
        for (var i = 0; i < 10_000; i++)
        {
            nonces.Next(RandomKey(random));
            time.Advance(TimeSpan.FromMilliseconds(100)); // 10 keys a second: 3,000 within five minutes
            peak = Math.Max(peak, nonces.TrackedKeys);
        }
        peak.ShouldBeLessThanOrEqualTo(2 * 3_000 + 1);
        nonces.TrackedKeys.ShouldBeLessThan(10_000);
    }

    [Fact]
    public void a_flood_of_keys_within_the_idle_window_stops_at_the_hard_cap()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var nonces = NonceSource.Microseconds(time);
        var random = new Random(16);
        for (var i = 0; i < 25_000; i++)
        {
            nonces.Next(RandomKey(random));
            time.Advance(TimeSpan.FromMicroseconds(3));
            nonces.TrackedKeys.ShouldBeLessThanOrEqualTo(NonceSource.MaxKeys + 1);
        }
    }

    [Fact]
    public void a_key_forgotten_by_the_nonce_source_still_gets_a_larger_nonce_than_its_last()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var nonces = NonceSource.Milliseconds(time);
        var burst = Enumerable.Range(0, 50).Select(_ => nonces.Next("the-key")).ToList(); // 50 in one millisecond: ahead of the clock
        var random = new Random(17);
        time.Advance(NonceSource.ForgetAfter + TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3_000; i++) nonces.Next(RandomKey(random));
        nonces.TrackedKeys.ShouldBe(3_000); // "the-key" was forgotten

        nonces.Next("the-key").ShouldBeGreaterThan(burst[^1]);
    }

    [Fact]
    public async Task ten_thousand_random_keys_leave_the_rate_counter_table_bounded()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var counter = new DecayingCallCounter(15, 0.33, time); // Kraken's private counter
        var random = new Random(18);
        var peak = 0;
        for (var i = 0; i < 10_000; i++)
        {
            await counter.AcquireAsync(RandomKey(random), 2, CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(10)); // a counter at 2 drains in about six seconds: some 600 live at once
            peak = Math.Max(peak, counter.TrackedKeys);
        }
        peak.ShouldBeLessThanOrEqualTo(2 * 1_024);
    }

    [Fact]
    public async Task rate_counters_that_have_not_drained_stop_at_the_hard_cap_and_one_in_use_is_kept()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var counter = new DecayingCallCounter(1, 0.01, time);
        await counter.AcquireAsync("busy", 1, CancellationToken.None);
        var waiting = counter.AcquireAsync("busy", 1, CancellationToken.None).AsTask(); // full: waits, so "busy" is in use
        var random = new Random(19);
        for (var i = 0; i < 15_000; i++)
        {
            await counter.AcquireAsync(RandomKey(random), 1, CancellationToken.None);
            counter.TrackedKeys.ShouldBeLessThanOrEqualTo(DecayingCallCounter.MaxKeys);
        }
        counter.WaitingFor("busy").ShouldBe(1);
        time.Advance(TimeSpan.FromSeconds(100));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task a_forgotten_counter_is_one_that_had_drained_so_a_key_keeps_its_limit()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var counter = new DecayingCallCounter(15, 0.33, time);
        await counter.AcquireAsync("kept", 15, CancellationToken.None);
        var random = new Random(20);
        for (var i = 0; i < 3_000; i++)
        {
            await counter.AcquireAsync(RandomKey(random), 1, CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }
        counter.LevelOf("kept").ShouldBeGreaterThan(13); // still remembered: it had not drained
    }

    [Fact]
    public async Task the_per_key_gate_holds_a_key_only_while_it_is_in_use()
    {
        var gate = new KeyedGate();
        var random = new Random(21);
        var keys = Enumerable.Range(0, 10_000).Select(_ => RandomKey(random)).ToList();
        await Parallel.ForEachAsync(keys, async (key, ct) =>
        {
            using var held = await gate.EnterAsync(key, ct);
            await Task.Yield();
        });
        gate.TrackedKeys.ShouldBe(0);

        var inside = 0;
        var most = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), async (_, ct) =>
        {
            using var held = await gate.EnterAsync("one-key", ct);
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        });
        most.ShouldBe(1);
        gate.TrackedKeys.ShouldBe(0);
    }

    [Fact]
    public async Task a_cancelled_wait_for_a_key_leaves_nothing_behind()
    {
        var gate = new KeyedGate();
        var held = await gate.EnterAsync("k", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = gate.EnterAsync("k", cts.Token).AsTask();
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(waiting);
        held.Dispose();
        gate.TrackedKeys.ShouldBe(0);
    }
}
