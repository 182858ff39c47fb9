using Bitcain.Exchanges;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

[Collection(SyncCollection.Name)]
public sealed class BalanceSyncTests(SyncSuite sync)
{
    [Fact]
    public async Task balances_of_the_demo_account_arrive_exactly_and_zero_balances_are_left_out()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binance", "demo");
        var credential = await user.ConnectAsync(demo);
        var served = await sync.Client("binance").GetBalancesAsync(SyncSuite.Keys(demo));
        var held = served.Values.Where(b => b.Total != 0m).ToDictionary(b => b.Currency);

        var (status, result) = await user.PostAsync("/api/exchange/balance/sync?exchange=binance");

        status.ShouldBe(200);
        result["success"]!.GetValue<bool>().ShouldBeTrue(result.ToJsonString());
        result["user_id"]!.GetValue<string>().ShouldBe(user.Id);
        result["currencies_synced"]!.GetValue<int>().ShouldBe(held.Count);
        held.Count.ShouldBeGreaterThan(3);
        foreach (var (currency, balance) in held)
        {
            result["balances"]![currency]!["free"]!.GetValue<decimal>().ShouldBe(balance.Free);
            result["balances"]![currency]!["locked"]!.GetValue<decimal>().ShouldBe(balance.Locked);
            result["balances"]![currency]!["total"]!.GetValue<decimal>().ShouldBe(balance.Total);
        }

        var (_, stored) = await user.GetAsync("/api/exchange/balance?exchange=binance");
        stored["balances"]!.AsObject().Select(p => p.Key).OrderBy(k => k).ShouldBe(held.Keys.OrderBy(k => k));
        stored["balances"]!["USDT"]!["locked"]!.GetValue<decimal>().ShouldBe(held["USDT"].Locked);
        stored["last_sync"].ShouldNotBeNull();
        stored["balances"]!["DOGE"].ShouldBeNull(); // the simulator's DOGE balance is zero

        var (_, one) = await user.GetAsync($"/api/exchange/balance?exchange=binance&currency=btc&credential_id={credential}");
        one["balances"]!.AsObject().Count.ShouldBe(1);
        one["balances"]!["BTC"]!["total"]!.GetValue<decimal>().ShouldBe(held["BTC"].Total);
    }

    [Fact]
    public async Task first_syncs_of_a_new_account_at_once_all_succeed_and_each_is_recorded()
    {
        // Each finds the account's stream missing and starts it; the losers of that race run again on the winner's stream.
        var user = new User(sync);
        await user.ConnectAsync(sync.Simulator.Account("kraken", "demo"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => user.PostAsync("/api/exchange/balance/sync?exchange=kraken")));

        results.ShouldAllBe(r => r.Status == 200 && r.Body["success"]!.GetValue<bool>());
        (await sync.EventCountAsync(user.Id, "sync.balances_synced.v1")).ShouldBe(8);
    }

    [Fact]
    public async Task balance_history_lists_each_sync_newest_first_within_the_date_range()
    {
        var user = new User(sync);
        await user.ConnectAsync(sync.Simulator.Account("kraken", "demo"));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        (await user.PostAsync("/api/exchange/balance/sync?exchange=kraken")).Body["success"]!.GetValue<bool>().ShouldBeTrue();
        (await user.PostAsync("/api/exchange/balance/sync?exchange=kraken")).Body["success"]!.GetValue<bool>().ShouldBeTrue();

        var (status, history) = await user.GetAsync("/api/exchange/balance/history?exchange=kraken&currency=BTC");
        status.ShouldBe(200);
        history["total_records"]!.GetValue<int>().ShouldBe(2);
        var stamps = history["history"]!.AsArray().Select(h => DateTimeOffset.Parse((string)h!["sync_timestamp"]!)).ToList();
        stamps.ShouldBe(stamps.OrderByDescending(s => s).ToList());
        stamps.ShouldAllBe(s => s >= before);
        history["history"]![0]!["sync_status"]!.GetValue<string>().ShouldBe("synced");

        var (_, limited) = await user.GetAsync("/api/exchange/balance/history?exchange=kraken&currency=BTC&limit=1");
        limited["history"]!.AsArray().Count.ShouldBe(1);
        var (_, none) = await user.GetAsync($"/api/exchange/balance/history?exchange=kraken&currency=BTC&end_date={before.AddDays(-1):yyyy-MM-dd}");
        none["total_records"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task a_user_without_credentials_gets_no_credentials_in_the_body()
    {
        var (status, body) = await new User(sync).PostAsync("/api/exchange/balance/sync?exchange=binance");
        status.ShouldBe(200);
        body["success"]!.GetValue<bool>().ShouldBeFalse();
        body["error_type"]!.GetValue<string>().ShouldBe("no_credentials");
    }

    [Fact]
    public async Task an_exchange_outage_comes_back_as_success_false_with_its_error_type()
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account("binanceus", "demo");
        await user.ConnectAsync(demo);
        var fault = sync.Simulator.Faults.Add(ExchangeSimulator.FaultKind.Maintenance, "binanceus");
        try
        {
            var (status, body) = await user.PostAsync("/api/exchange/balance/sync?exchange=binance_us");
            status.ShouldBe(200);
            body["success"]!.GetValue<bool>().ShouldBeFalse();
            body["error_type"]!.GetValue<string>().ShouldBe("exchange_unavailable", body.ToJsonString());
            body["error"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
        finally { sync.Simulator.Faults.Remove(fault); }
    }

    [Fact]
    public async Task a_rejected_key_is_an_auth_error_and_marks_the_credential_invalid()
    {
        var user = new User(sync);
        var credential = await user.ConnectAsync(sync.Simulator.Account("binance", "demo"), secret: "not-the-right-secret-at-all");

        var (status, body) = await user.PostAsync($"/api/exchange/balance/sync?exchange=binance&credential_id={credential}");

        status.ShouldBe(200);
        body["success"]!.GetValue<bool>().ShouldBeFalse();
        body["error_type"]!.GetValue<string>().ShouldBe("auth_error", body.ToJsonString());
        body.ToJsonString().ShouldNotContain("not-the-right-secret");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? validation = null;
        while (DateTime.UtcNow < deadline)
        {
            validation = (string?)(await user.GetAsync($"/api/exchange/credentials/{credential}")).Body["validation_status"];
            if (validation == "invalid") break;
            await Task.Delay(200);
        }
        validation.ShouldBe("invalid");
    }
}

/// <summary>Which failures the services run again: a stream two first syncs started at once is one of them, however Marten
/// reports it (a scaled-out burst dead-lettered a first sync on Marten's own collision exception, which wraps nothing).</summary>
public sealed class ConcurrentStreamStartTests
{
    [Fact]
    public void a_stream_started_twice_is_run_again_whether_marten_or_postgres_reports_it()
    {
        var account = Guid.CreateVersion7();
        Bitcain.ServiceDefaults.EventStoreDefaults.StartedTheSameStream(
            new Marten.Exceptions.ExistingStreamIdCollisionException(account, typeof(Bitcain.Sync.Account.ExchangeAccount))).ShouldBeTrue();
        Bitcain.ServiceDefaults.EventStoreDefaults.StartedTheSameStream(
            new InvalidOperationException("wrapped", new Marten.Exceptions.ExistingStreamIdCollisionException(account, typeof(object)))).ShouldBeTrue();
        Bitcain.ServiceDefaults.EventStoreDefaults.StartedTheSameStream(new InvalidOperationException("something else")).ShouldBeFalse();
    }
}
