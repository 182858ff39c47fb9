using System.Collections.Concurrent;
using System.Diagnostics;
using Bitcain.LocalServers;
using Bitcain.AppHost.Security;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Bitcain.AppHost.Tests.ScaledOut;

/// <summary>
/// Issue #8 as a user would try it: two instances of every service, commands through both gateways, then one
/// instance of each stateful service killed in the middle of a burst. Counts come from the event store itself.
/// </summary>
[TestCaseOrderer(StepOrderer.Name, StepOrderer.Assembly)]
public sealed class ScaledOutTests(ScaledSuite suite, ITestOutputHelper output) : IClassFixture<ScaledSuite>
{
    private const string User = BearerTokens.DemoUser;

    [Fact, Step(1)]
    public async Task every_service_runs_twice_and_each_gateway_gets_the_replies_to_its_own_commands()
    {
        foreach (var service in new[] { "gateway", "credentials", "sync", "market" })
            suite.AppHost.Instances(service).Select(i => i.Name).ShouldBe([$"{service}-0", $"{service}-1"], suite.AppHost.Tail());

        // A reply delivered to the other gateway would leave this one waiting into a 504.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var (status, body) = await suite.SendAsync(HttpMethod.Post, $"{suite.Gateways[i % 2]}/api/exchange/credentials", Credential($"replies-{i}"));
            return (Name: $"replies-{i}", Status: status, Echoed: (string?)body?["credential_name"]);
        }));
        answers.ShouldAllBe(a => a.Status == 201 && a.Echoed == a.Name, string.Join(", ", answers.Where(a => a.Status != 201).Select(a => $"{a.Name}: {a.Status}")));

        foreach (var gateway in suite.Gateways)
        {
            var (status, body) = await suite.SendAsync(HttpMethod.Get, $"{gateway}/api/exchange/credentials?exchange_name=binance");
            status.ShouldBe(200);
            var names = body!["credentials"]!.AsArray().Select(c => (string?)c!["credential_name"]).ToHashSet();
            names.IsSupersetOf(answers.Select(a => a.Name)).ShouldBeTrue();
        }
    }

    [Fact, Step(2)]
    public async Task a_health_change_that_both_market_instances_see_is_recorded_once()
    {
        // Both instances look first, so each has an opinion of kraken's last state before it changes.
        await ForceHealthChecksAsync(rounds: 3, expected: "ok");
        var since = await suite.ScalarAsync("select coalesce(max(seq_id), 0) from market.mt_events");

        using var fault = await suite.Http.PostAsync($"http://127.0.0.1:{suite.SimulatorPort}/__sim/faults",
            new StringContent("""{"kind":"maintenance","exchange":"kraken"}""", System.Text.Encoding.UTF8, "application/json"));
        fault.EnsureSuccessStatusCode();
        try
        {
            await ForceHealthChecksAsync(rounds: 4, expected: "down");
        }
        finally
        {
            (await suite.Http.DeleteAsync($"http://127.0.0.1:{suite.SimulatorPort}/__sim/faults")).EnsureSuccessStatusCode();
        }
        await ForceHealthChecksAsync(rounds: 4, expected: "ok");

        (await HealthTransitionsAsync(since, "down")).ShouldBe(1);
        (await HealthTransitionsAsync(since, "ok")).ShouldBe(1);
    }

    [Fact, Step(3)]
    public async Task a_rabbitmq_restart_is_survived_without_restarting_any_service()
    {
        var rabbit = Path.Combine(suite.DataFolder, "rabbitmq");
        await RabbitMqServer.ControlAsync(rabbit, suite.EpmdPort, ["stop_app"], TimeSpan.FromSeconds(60));
        int during;
        try
        {
            // Without a broker a command gets a clear answer, never a 500.
            (during, _) = await suite.SendAsync(HttpMethod.Post, $"{suite.Gateways[0]}/api/exchange/credentials", Credential("during-outage"));
            during.ShouldBeOneOf(503, 504);
        }
        finally
        {
            await RabbitMqServer.ControlAsync(rabbit, suite.EpmdPort, ["start_app"], TimeSpan.FromSeconds(120));
        }
        var pids = suite.AppHost.PrintedPids();

        // Every instance reconnects by itself; through both gateways, commands and queries work again.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < suite.Gateways.Count; i++)
            await EventuallyAsync(async () => (await suite.SendAsync(HttpMethod.Post, $"{suite.Gateways[i]}/api/exchange/credentials", Credential($"after-outage-{i}-{Guid.NewGuid():N}"[..30]))).Status == 201,
                TimeSpan.FromSeconds(120), $"gateway {i} stores again");
        var account = await StoreSimulatedAccountAsync("after-outage-sync");
        foreach (var gateway in suite.Gateways)
        {
            var (status, body) = await suite.SendAsync(HttpMethod.Post, $"{gateway}/api/exchange/balance/sync?exchange=binance&credential_id={account}");
            status.ShouldBe(200);
            ((bool?)body!["success"]).ShouldBe(true, body.ToJsonString());
            (await suite.SendAsync(HttpMethod.Get, $"{gateway}/api/exchange/ticker?exchange=binance&symbol=BTC/USDT")).Status.ShouldBe(200);
        }
        output.WriteLine($"back to normal {clock.Elapsed.TotalSeconds:0.0} s after start_app returned");
        pids.ShouldAllBe(pid => UnixProcess.IsAlive(pid));

        // The command sent into the outage is applied exactly once if it was queued (504) and never if refused (503).
        var expected = during == 504 ? 1 : 0;
        long stored = -1;
        await EventuallyAsync(async () => (stored = await StoredAsync("during-outage")) == expected, TimeSpan.FromSeconds(60),
            () => $"the command sent into the outage (answered {during}) is stored {expected} times; it is stored {stored} times");
        await Task.Delay(TimeSpan.FromSeconds(5));
        (await StoredAsync("during-outage")).ShouldBe(expected);
    }

    [Fact, Step(4)]
    public async Task a_burst_of_1000_commands_is_handled_exactly_once_while_an_instance_of_each_service_is_killed()
    {
        var account = await StoreSimulatedAccountAsync("burst-sync");
        string? daemonHolder = null;
        await EventuallyAsync(async () => (daemonHolder = await suite.DaemonHolderAsync("sync")) is not null, TimeSpan.FromSeconds(60),
            "a sync instance holds the projection daemon's lock");
        var syncsBefore = await SyncEventsAsync(account);
        var deadBefore = await suite.DeadLetteredAsync();

        var statuses = new ConcurrentBag<(int Index, int Status)>();
        var completed = 0;
        var killed = new TaskCompletionSource<DateTime>();
        var credentialsVictim = suite.AppHost.Instances("credentials")[1];
        var syncVictim = suite.AppHost.Instances("sync").Single(i => i.Name == daemonHolder);
        using var gate = new SemaphoreSlim(12);
        var burst = Enumerable.Range(0, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var gateway = suite.Gateways[i / 2 % 2];
                var (status, _) = i % 2 == 0
                    ? await suite.SendAsync(HttpMethod.Post, $"{gateway}/api/exchange/credentials", Credential($"burst-store-{i:D4}"))
                    : await suite.SendAsync(HttpMethod.Post, $"{gateway}/api/exchange/balance/sync?exchange=binance&credential_id={account}");
                statuses.Add((i, status));
                if (Interlocked.Increment(ref completed) == 300)
                {
                    UnixProcess.Signal(credentialsVictim.Pid, UnixProcess.SigKill);
                    UnixProcess.Signal(syncVictim.Pid, UnixProcess.SigKill);
                    killed.SetResult(DateTime.UtcNow);
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();

        // The projection daemon moves to the surviving sync instance.
        var killedAt = await killed.Task.WaitAsync(TimeSpan.FromMinutes(5));
        string? newHolder = null;
        await EventuallyAsync(async () => (newHolder = await suite.DaemonHolderAsync("sync")) is not null && newHolder != daemonHolder,
            TimeSpan.FromSeconds(120), "the daemon's lock moves to the surviving sync instance");
        var failover = DateTime.UtcNow - killedAt;
        await Task.WhenAll(burst);
        var burstEnded = DateTime.UtcNow;

        statuses.Count.ShouldBe(1000);
        var unexpected = statuses.Where(s => s.Index % 2 == 0 ? s.Status is not (201 or 504) : s.Status is not (200 or 504)).ToList();
        unexpected.ShouldBeEmpty(string.Join(", ", unexpected.Take(20)));
        suite.AppHost.Output.ShouldContain($"1 of 2 credentials instances run on");
        suite.AppHost.Output.ShouldContain($"1 of 2 sync instances run on");

        // Exactly once: every store is one stored credential, every sync one sync event; late redeliveries add none,
        // and no command is parked in the dead-letter queue (each one there is a contention the retry rules missed).
        long stored = 0, synced = 0, dead = 0;
        string inboxes = "";
        await EventuallyAsync(async () =>
            {
                (stored, synced, dead) = (await StoredAsync("burst-store-%"), await SyncEventsAsync(account) - syncsBefore, await suite.DeadLetteredAsync() - deadBefore);
                if (dead > 0 || stored == 500 && synced == 500) return true;
                inboxes = await suite.DescribeInboxesAsync();
                return false;
            },
            TimeSpan.FromMinutes(5), () => $"every command of the burst is applied: {stored} of 500 stores, {synced} of 500 syncs; " +
                                           $"answers {string.Join(", ", statuses.GroupBy(s => s.Status).Select(g => $"{g.Key}: {g.Count()}"))}; {inboxes}");
        var settled = DateTime.UtcNow - burstEnded;
        if (dead > 0)
            dead.ShouldBe(0, $"dead-lettered commands of the burst ({stored} of 500 stores and {synced} of 500 syncs applied): " +
                             string.Join("; ", await suite.DeadLetterReasonsAsync()));
        // The survivor's daemon carries the async sync status on from where the killed holder stopped: every event of
        // the account is in its status document once (a batch lost in the failover leaves it short, one applied twice
        // leaves it long), and the projection's recorded progress reaches the newest event. (Only the projection's
        // own row: Marten's high-water bookkeeping rows beside it are not projection progress.)
        var events = await SyncEventsAsync(account);
        long counted = -1, projected = 0, latest = 0;
        await EventuallyAsync(async () =>
            {
                counted = await SyncStatusCountAsync(account);
                projected = await suite.ScalarAsync("select coalesce(max(last_seq_id), 0) from sync.mt_event_progression where name = 'AccountSyncStatus:All'");
                latest = await suite.ScalarAsync("select coalesce(max(seq_id), 0) from sync.mt_events");
                return counted >= events && projected >= latest;
            },
            TimeSpan.FromSeconds(90), () => $"the async sync status catches up after the failover: it counts {counted} of the account's {events} sync events; " +
                                            $"the projection is through sequence {projected} of {latest}");
        var progression = await suite.TextAsync("select string_agg(name || ' ' || last_seq_id, ', ' order by name) from sync.mt_event_progression");
        var caughtUp = DateTime.UtcNow - burstEnded;

        // Late redeliveries of the killed instances' commands add nothing.
        await Task.Delay(TimeSpan.FromSeconds(15));
        (await StoredAsync("burst-store-%")).ShouldBe(500);
        (await suite.ScalarAsync(
            "select count(distinct data->>'CredentialName') from credentials.mt_events where type = 'credential_stored.v1' and data->>'CredentialName' like 'burst-store-%'")).ShouldBe(500);
        (await SyncEventsAsync(account) - syncsBefore).ShouldBe(500);
        (await suite.DeadLetteredAsync() - deadBefore).ShouldBe(0);
        (await SyncStatusCountAsync(account)).ShouldBe(events);

        output.WriteLine($"killed {credentialsVictim.Name} and {syncVictim.Name} (daemon holder) after 300 of 1,000 commands; " +
                         $"daemon lock moved to {newHolder} in {failover.TotalSeconds:0.0} s; " +
                         $"{statuses.Count(s => s.Status == 504)} answers were 504 (queued); every command applied once {settled.TotalSeconds:0.0} s " +
                         $"after the burst; the async sync status caught up {caughtUp.TotalSeconds:0.0} s after the burst (progression: {progression})");
    }

    private static Dictionary<string, object?> Credential(string name) => new()
    {
        ["exchange_name"] = "binance",
        ["credential_name"] = name,
        ["api_key"] = $"scaled-key-{name}",
        ["api_secret"] = "scaled-secret-never-logged",
    };

    private async Task<Guid> StoreSimulatedAccountAsync(string name)
    {
        var (status, body) = await suite.SendAsync(HttpMethod.Post, $"{suite.Gateways[0]}/api/exchange/credentials", await suite.SimulatedCredentialAsync("binance", name));
        status.ShouldBe(201, body?.ToJsonString());
        return Guid.Parse((string)body!["id"]!);
    }

    private Task<long> StoredAsync(string namePattern) => suite.ScalarAsync(
        "select count(*) from credentials.mt_events where type = 'credential_stored.v1' and tenant_id = @user and data->>'CredentialName' like @name",
        ("user", User), ("name", namePattern));

    private Task<long> SyncEventsAsync(Guid account) => suite.ScalarAsync(
        "select count(*) from sync.mt_events where stream_id = @account and type in ('sync.balances_synced.v1', 'sync.sync_failed.v1')",
        ("account", account));

    /// <summary>The balance syncs and failures the account's async status document has taken in (what SyncEventsAsync counts).</summary>
    private Task<long> SyncStatusCountAsync(Guid account) => suite.ScalarAsync(
        "select coalesce(sum((data->>'BalanceSyncs')::bigint + (data->>'Failures')::bigint), 0) " +
        "from sync.mt_doc_accountsyncstatus where id = @account", ("account", account));

    private Task<long> HealthTransitionsAsync(long afterSequence, string to) => suite.ScalarAsync(
        "select count(*) from market.mt_events where type = 'exchange_health_changed.v1' and seq_id > @since and data->>'Exchange' = 'kraken' and data->>'To' = @to",
        ("since", afterSequence), ("to", to));

    private async Task ForceHealthChecksAsync(int rounds, string expected)
    {
        for (var round = 0; round < rounds; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                suite.SendAsync(HttpMethod.Get, $"{suite.Gateways[i % 2]}/api/exchange/kraken/health?force_refresh=true")));
            if (round == rounds - 1)
                answers.ShouldAllBe(a => a.Status == 200 && (string?)a.Body!["status"] == expected);
            // A forced check younger than two seconds answers from the cache.
            await Task.Delay(TimeSpan.FromSeconds(2.2));
        }
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => EventuallyAsync(condition, timeout, () => what);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"Not within {timeout.TotalSeconds:0} s: {what()}");
            await Task.Delay(500);
        }
    }
}
