using Bitcain.Exchanges.RateLimits;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>
/// An exchange's budget is process-wide; when it runs short, the owners waiting for it (one account's sync each) are
/// served in turn. Every test runs on a fake clock: a window passes when the test advances it, never by waiting.
/// </summary>
public class FairShareTests
{
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task an_owner_arriving_behind_a_first_syncs_long_queue_is_served_in_the_next_window_not_after_it()
    {
        var (time, limiter, calls) = FullMinute(weightPerMinute: 10);
        for (var i = 0; i < 60; i++) _ = calls.Start("first-sync");
        for (var i = 0; i < 4; i++) _ = calls.Start("second-sync");

        // First come, first served would hold the second sync back six minutes, behind all 60 of the first's calls.
        var window = await calls.NextWindowAsync(Minute);
        window.GetValueOrDefault("second-sync").ShouldBe(4);
        window.GetValueOrDefault("first-sync").ShouldBe(6);
        calls.AllDoneFor("second-sync").ShouldBeTrue();
        limiter.UsedThisMinute.ShouldBe(10);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("a", "b", "c")]
    [InlineData("a", "b", null)] // calls made for nobody in particular are one more owner
    public async Task owners_that_keep_calls_waiting_get_equal_shares_of_each_window(params string?[] owners)
    {
        var (_, _, calls) = FullMinute(weightPerMinute: 12);
        foreach (var owner in owners)
            for (var i = 0; i < 50; i++) _ = calls.Start(owner);

        var granted = new Dictionary<string, int>();
        for (var minute = 0; minute < 5; minute++)
        {
            var window = await calls.NextWindowAsync(Minute);
            window.Values.Sum().ShouldBe(12);
            foreach (var (owner, n) in window)
            {
                n.ShouldBeInRange(12 / owners.Length - 1, 12 / owners.Length + 1, $"minute {minute}, owner {owner}");
                granted[owner] = granted.GetValueOrDefault(owner) + n;
            }
        }
        granted.Count.ShouldBe(owners.Length);
        foreach (var n in granted.Values) n.ShouldBe(60 / owners.Length);
    }

    [Fact]
    public async Task shares_are_of_the_budget_not_of_the_call_count()
    {
        var (_, _, calls) = FullMinute(weightPerMinute: 20);
        for (var i = 0; i < 20; i++) _ = calls.Start("trade-pages", cost: 5);
        for (var i = 0; i < 100; i++) _ = calls.Start("balances", cost: 1);

        var weight = new Dictionary<string, int>();
        for (var minute = 0; minute < 6; minute++)
        {
            var window = await calls.NextWindowAsync(Minute);
            weight["trade-pages"] = weight.GetValueOrDefault("trade-pages") + 5 * window.GetValueOrDefault("trade-pages");
            weight["balances"] = weight.GetValueOrDefault("balances") + window.GetValueOrDefault("balances");
        }
        weight["trade-pages"].ShouldBeInRange(50, 70);
        weight["balances"].ShouldBeInRange(50, 70);
    }

    [Fact]
    public async Task a_lone_owner_still_gets_the_whole_budget_in_its_own_order()
    {
        var (_, limiter, calls) = FullMinute(weightPerMinute: 10);
        for (var i = 0; i < 35; i++) _ = calls.Start("only-sync");

        for (var minute = 0; minute < 3; minute++)
        {
            (await calls.NextWindowAsync(Minute)).ShouldBe(new Dictionary<string, int> { ["only-sync"] = 10 });
            limiter.UsedThisMinute.ShouldBe(10);
        }
        (await calls.NextWindowAsync(Minute)).ShouldBe(new Dictionary<string, int> { ["only-sync"] = 5 });
        calls.Granted.ShouldBe(calls.Started); // first in, first out within an owner
    }

    [Fact]
    public async Task a_cancelled_waiter_takes_nothing_and_its_owners_next_call_moves_into_its_place()
    {
        var (_, limiter, calls) = FullMinute(weightPerMinute: 1);
        using var giveUp = new CancellationTokenSource();
        var cancelled = calls.Start("a", ct: giveUp.Token);
        var aSecond = calls.Start("a");
        var bFirst = calls.Start("b");
        limiter.Waiting.ShouldBe(3);

        await giveUp.CancelAsync();
        await Should.ThrowAsync<TaskCanceledException>(() => cancelled);
        limiter.Waiting.ShouldBe(2);

        // Had the cancelled call kept its place, b would go next and a's second call a window later.
        (await calls.NextWindowAsync(Minute)).ShouldBe(new Dictionary<string, int> { ["a"] = 1 });
        aSecond.IsCompletedSuccessfully.ShouldBeTrue();
        limiter.UsedThisMinute.ShouldBe(1);
        (await calls.NextWindowAsync(Minute)).ShouldBe(new Dictionary<string, int> { ["b"] = 1 });
        bFirst.IsCompletedSuccessfully.ShouldBeTrue();
        limiter.Waiting.ShouldBe(0);
    }

    [Fact]
    public async Task cancelling_the_only_waiter_empties_the_queue_and_the_next_call_goes_straight_through()
    {
        var (time, limiter, calls) = FullMinute(weightPerMinute: 5);
        using var giveUp = new CancellationTokenSource();
        var cancelled = calls.Start("a", ct: giveUp.Token);
        await giveUp.CancelAsync();
        await Should.ThrowAsync<TaskCanceledException>(() => cancelled);
        limiter.Waiting.ShouldBe(0);

        time.Advance(Minute);
        limiter.UsedThisMinute.ShouldBe(0);
        await limiter.AcquireAsync(5, CancellationToken.None);
        limiter.UsedThisMinute.ShouldBe(5);
    }

    [Fact]
    public async Task a_back_off_holds_every_owners_queue_until_retry_after_has_passed()
    {
        var (time, limiter, calls) = FullMinute(weightPerMinute: 10);
        _ = calls.Start("a");
        _ = calls.Start("b");
        limiter.BackOff(TimeSpan.FromSeconds(90));

        (await calls.NextWindowAsync(Minute)).ShouldBeEmpty();
        (await calls.NextWindowAsync(TimeSpan.FromSeconds(30))).ShouldBe(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 });
    }

    [Fact]
    public async Task on_a_decaying_counter_a_sync_making_call_after_call_shares_with_one_that_starts_later()
    {
        var time = new FakeTimeProvider(TenOClock);
        var counter = new DecayingCallCounter(maximum: 4, decayPerSecond: 1, time);
        const string key = "public";
        var finished = new Dictionary<string, DateTimeOffset>();

        async Task Sync(string owner, int calls)
        {
            using var _ = ExchangeCallShare.Enter(owner);
            for (var i = 0; i < calls; i++) await counter.AcquireAsync(key, 1, CancellationToken.None);
            lock (finished) finished[owner] = time.GetUtcNow();
        }

        var first = Sync("first-sync", 200);
        counter.WaitingFor(key).ShouldBe(1); // four went straight through, the fifth waits for the counter to drain
        var second = Sync("second-sync", 10);
        var syncs = new[] { first, second };
        for (var tick = 0; tick < 40 && !second.IsCompleted; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Settled(() => counter.WaitingFor(key) == syncs.Count(s => !s.IsCompleted));
        }

        // One call per second drains; taking turns, the second sync's ten calls need about twenty seconds.
        second.IsCompletedSuccessfully.ShouldBeTrue();
        (finished["second-sync"] - TenOClock).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(21));
        first.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task each_counter_key_has_its_own_queue()
    {
        var time = new FakeTimeProvider(TenOClock);
        var counter = new DecayingCallCounter(maximum: 1, decayPerSecond: 1, time);
        await counter.AcquireAsync("key-1", 1, CancellationToken.None);
        var waiting = counter.AcquireAsync("key-1", 1, CancellationToken.None).AsTask();
        counter.WaitingFor("key-1").ShouldBe(1);

        await counter.AcquireAsync("key-2", 1, CancellationToken.None);
        counter.WaitingFor("key-2").ShouldBe(0);
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>A Binance-style limiter whose current minute is already spent, so every call started now waits.</summary>
    private static (FakeTimeProvider Time, RequestWeightLimiter Limiter, Calls Calls) FullMinute(int weightPerMinute)
    {
        var time = new FakeTimeProvider(TenOClock);
        var limiter = new RequestWeightLimiter(weightPerMinute, time);
        limiter.Observe(weightPerMinute);
        return (time, limiter, new Calls(time, limiter));
    }

    // Grants complete their callers asynchronously; the queue's count says how many callers should still be waiting.
    private static async Task Settled(Func<bool> settled)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!settled())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the callers did not settle");
            await Task.Delay(1);
        }
    }

    private sealed class Calls(FakeTimeProvider time, FairShareBudget budget)
    {
        private readonly List<(string Owner, int Number, Task Task)> calls = [];
        private readonly HashSet<Task> seen = [];
        private readonly List<int> granted = [];

        public IReadOnlyList<int> Started => calls.Select(c => c.Number).ToList();
        public IReadOnlyList<int> Granted => granted;

        public Task Start(string? owner, int cost = 1, CancellationToken ct = default)
        {
            var task = Acquire(owner, cost, ct);
            calls.Add((owner ?? "nobody", calls.Count, task));
            return task;
        }

        public bool AllDoneFor(string owner) => calls.Where(c => c.Owner == owner).All(c => c.Task.IsCompletedSuccessfully);

        /// <summary>Advances the clock and returns how many calls of each owner it let through.</summary>
        public async Task<Dictionary<string, int>> NextWindowAsync(TimeSpan step)
        {
            time.Advance(step);
            await Settled(() => calls.Count(c => !c.Task.IsCompleted) == budget.Waiting);
            var window = new Dictionary<string, int>();
            foreach (var (owner, number, task) in calls)
            {
                if (!task.IsCompletedSuccessfully || !seen.Add(task)) continue;
                window[owner] = window.GetValueOrDefault(owner) + 1;
                granted.Add(number);
            }
            return window;
        }

        private async Task Acquire(string? owner, int cost, CancellationToken ct)
        {
            using var _ = owner is null ? null : ExchangeCallShare.Enter(owner);
            await budget.AcquireAsync(cost, ct);
        }
    }
}
