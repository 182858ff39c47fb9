using Bitcain.Sync.Account;
using Bitcain.Sync.SyncStatus;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

[Collection(SyncCollection.Name)]
public sealed class SyncStatusTests(SyncSuite sync)
{
    [Fact]
    public async Task the_status_of_an_account_follows_its_syncs_and_failures_through_the_async_projection()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("kraken", "demo");
        var credential = await user.ConnectAsync(demo);
        var balances = (await user.PostAsync("/api/exchange/balance/sync?exchange=kraken")).Body;
        var trades = await user.SyncTradesAsync("kraken");
        var fault = sync.Simulator.Faults.Add(ExchangeSimulator.FaultKind.Maintenance, "kraken");
        try
        {
            (await user.PostAsync("/api/exchange/balance/sync?exchange=kraken")).Body["success"]!.GetValue<bool>().ShouldBeFalse();
        }
        finally { sync.Simulator.Faults.Remove(fault); }

        var status = await EventuallyAsync(user, "/api/exchange/sync/status?exchange=kraken", s => s["accounts"]!.AsArray() is [var a] && (long)a!["failures"]! == 1);
        status["total_count"]!.GetValue<int>().ShouldBe(1);
        var account = status["accounts"]![0]!;
        account["exchange"]!.GetValue<string>().ShouldBe("kraken");
        account["credential_id"]!.GetValue<Guid>().ShouldBe(credential);
        account["balance_syncs"]!.GetValue<long>().ShouldBe(1);
        account["currencies_synced"]!.GetValue<int>().ShouldBe(balances["currencies_synced"]!.GetValue<int>());
        account["trades_stored"]!.GetValue<long>().ShouldBe(trades["trades_synced"]!.GetValue<long>());
        account["trades_stored"]!.GetValue<long>().ShouldBeGreaterThan(0);
        account["last_trade_sync"].ShouldNotBeNull();
        account["consecutive_failures"]!.GetValue<int>().ShouldBe(1);
        account["last_failure"]!["operation"]!.GetValue<string>().ShouldBe("balances");
        account["last_failure"]!["error_type"]!.GetValue<string>().ShouldBe("exchange_unavailable");
        account["current_through"]!.GetValue<long>().ShouldBeGreaterThan(0);

        // A success after a failure ends the run of failures, and the last failure stays on record.
        (await user.PostAsync("/api/exchange/balance/sync?exchange=kraken")).Body["success"]!.GetValue<bool>().ShouldBeTrue();
        var recovered = await EventuallyAsync(user, "/api/exchange/sync/status", s => (long)s["accounts"]![0]!["balance_syncs"]! == 2);
        recovered["accounts"]![0]!["consecutive_failures"]!.GetValue<int>().ShouldBe(0);
        recovered["accounts"]![0]!["last_failure"].ShouldNotBeNull();

        // Another user sees none of it.
        var (_, stranger) = await new User(sync).GetAsync("/api/exchange/sync/status");
        stranger["total_count"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task an_unknown_exchange_is_refused_as_the_other_sync_queries_refuse_it()
    {
        var user = new User(sync);
        var (status, body) = await user.GetAsync("/api/exchange/sync/status?exchange=nowhere");
        var (statsStatus, statsBody) = await user.GetAsync("/api/exchange/trades/stats?exchange=nowhere");
        status.ShouldBe(statsStatus);
        status.ShouldBeInRange(400, 499);
        body.ToJsonString().ShouldBe(statsBody.ToJsonString());
    }

    [Fact]
    public async Task the_hotcold_daemon_holds_the_sync_services_own_lock_and_projects_every_event()
    {
        var user = new User(sync);
        await user.ConnectAsync(sync.Simulator.Account("binance", "demo"));
        (await user.PostAsync("/api/exchange/balance/sync?exchange=binance")).Body["success"]!.GetValue<bool>().ShouldBeTrue();

        await using var db = new NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await db.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long held = 0, projected = 0, latest = 1;
        while (DateTime.UtcNow < deadline)
        {
            // Wolverine takes its leader locks on connections it names itself; the daemon's is on the store's own.
            held = await ScalarAsync(db, "select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid " +
                                         "where l.locktype = 'advisory' and l.granted and a.application_name not like 'wolverine%'");
            latest = await ScalarAsync(db, "select coalesce(max(seq_id), 0) from sync.mt_events");
            projected = await ScalarAsync(db, "select coalesce(max(last_seq_id), 0) from sync.mt_event_progression where name like 'AccountSyncStatus%'");
            if (held == 1 && projected >= latest) break;
            await Task.Delay(250);
        }
        held.ShouldBe(1, "the daemon's advisory lock, the one the sync service's instances elect a leader with (the only async projections are the sync service's)");
        projected.ShouldBeGreaterThanOrEqualTo(latest);
    }

    [Fact]
    public void failures_count_in_a_row_until_a_success_and_the_input_status_is_left_as_it_was()
    {
        var account = Guid.NewGuid();
        var at = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
        var failed = AccountSyncStatus.Next(null, new SyncFailed(account, "okx", "trades", "rate_limited", "slow down", at), 7);
        var twice = AccountSyncStatus.Next(failed, new SyncFailed(account, "okx", "balances", "auth_error", "bad key", at.AddMinutes(1)), 8);
        var synced = AccountSyncStatus.Next(twice, new BalancesSynced(account, "okx", [new SyncedBalance("BTC", 1, 0, 1), new SyncedBalance("ETH", 0, 0, 0)], at.AddMinutes(2)), 9);

        failed.ConsecutiveFailures.ShouldBe(1);
        twice.ConsecutiveFailures.ShouldBe(2);
        twice.Failures.ShouldBe(2);
        twice.LastFailure!.ErrorType.ShouldBe("auth_error");
        synced.ConsecutiveFailures.ShouldBe(0);
        synced.CurrenciesSynced.ShouldBe(1);
        synced.LastFailure.ShouldBe(twice.LastFailure);
        synced.CurrentThrough.ShouldBe(9);
        (synced.Id, synced.Exchange).ShouldBe((account, "okx"));
        twice.CurrentThrough.ShouldBe(8);   // untouched by the next event
        twice.BalanceSyncs.ShouldBe(0);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> EventuallyAsync(User user, string url, Func<System.Text.Json.Nodes.JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.Nodes.JsonNode body = null!;
        while (DateTime.UtcNow < deadline)
        {
            (var status, body) = await user.GetAsync(url);
            status.ShouldBe(200, body.ToJsonString());
            try
            {
                if (done(body)) return body;
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException)
            {
            }
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"The status never got there: {body.ToJsonString()}");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }
}
