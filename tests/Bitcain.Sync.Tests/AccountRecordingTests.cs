using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.Sync.AccountSettings;
using Bitcain.Sync.SyncingBalances;
using Bitcain.Sync.SyncingTrades;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>The aggregate handlers that write an account's stream, as the pure functions they are: the write model and
/// the exchange's answer in; events, messages and the caller's answer out. No database, no broker.</summary>
public sealed class AccountRecordingTests
{
    private static readonly Guid Credential = Guid.Parse("0193a5b2-7c4e-7d1a-9f3e-2b8c4d6e8f01");
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Envelope ForUser = new() { TenantId = "user-1" };

    private static ExchangeRefusal Refused(ExchangeErrorType type) => ExchangeRefusal.Of(new ExchangeException("binance", type, "refused by the exchange"));

    [Fact]
    public void a_balance_snapshot_is_recorded_whole_and_answered_with_the_held_balances_only()
    {
        var balances = new Dictionary<string, Balance> { ["BTC"] = new("BTC", 1.5m, 0.5m), ["DOGE"] = new("DOGE", 0m, 0m) };

        var (reply, events, messages) = RecordBalanceSnapshotHandler.Handle(
            new RecordBalanceSnapshot(Credential, "binance", balances, null, At), null, ForUser);

        var synced = events.ShouldHaveSingleItem().ShouldBeOfType<BalancesSynced>();
        synced.Balances.Select(b => b.Currency).ShouldBe(["BTC", "DOGE"]);
        synced.SyncedAt.ShouldBe(At);
        reply.Success.ShouldBeTrue();
        reply.CurrenciesSynced.ShouldBe(1);
        reply.Balances.Keys.ShouldBe(["BTC"]);
        messages.OfType<BalancesSyncedV1>().ShouldHaveSingleItem().UserId.ShouldBe("user-1");
        messages.OfType<RecordCredentialUse>().ShouldHaveSingleItem().UsedAt.ShouldBe(At);
        messages.OfType<RecordCredentialValidation>().ShouldBeEmpty();
    }

    [Fact]
    public void a_refused_balance_sync_records_the_failure_and_a_rejected_key_is_reported_invalid()
    {
        var (reply, events, messages) = RecordBalanceSnapshotHandler.Handle(
            new RecordBalanceSnapshot(Credential, "binance", null, Refused(ExchangeErrorType.AuthError), At), null, ForUser);

        var failed = events.ShouldHaveSingleItem().ShouldBeOfType<SyncFailed>();
        (failed.Operation, failed.ErrorType).ShouldBe(("balances", "auth_error"));
        reply.Success.ShouldBeFalse();
        reply.ErrorType.ShouldBe("auth_error");
        messages.OfType<SyncFailedV1>().ShouldHaveSingleItem().Operation.ShouldBe("balances");
        messages.OfType<RecordCredentialUse>().ShouldHaveSingleItem();
        messages.OfType<RecordCredentialValidation>().ShouldHaveSingleItem().Status.ShouldBe("auth_error");
    }

    [Fact]
    public void an_outage_is_a_failure_but_says_nothing_of_the_key()
    {
        var (_, _, messages) = RecordBalanceSnapshotHandler.Handle(
            new RecordBalanceSnapshot(Credential, "binance", null, Refused(ExchangeErrorType.ExchangeUnavailable), At), null, ForUser);

        messages.OfType<RecordCredentialValidation>().ShouldBeEmpty();
        messages.OfType<RecordCredentialUse>().ShouldHaveSingleItem();
    }

    [Fact]
    public void a_confirmed_bnb_burn_change_is_recorded_as_the_exchange_confirmed_it()
    {
        var (reply, events, messages) = RecordBnbBurnChangeHandler.Handle(new RecordBnbBurnChange(Credential, "binance", true, false, At), null);

        var changed = events.ShouldHaveSingleItem().ShouldBeOfType<BnbBurnChanged>();
        (changed.SpotBnbBurn, changed.InterestBnbBurn).ShouldBe((true, false));
        reply.Outcome.ShouldBe(AccountSettingOutcome.Ok);
        (reply.SpotBnbBurn, reply.InterestBnbBurn).ShouldBe((true, false));
        messages.ShouldHaveSingleItem().ShouldBeOfType<RecordCredentialUse>();
    }

    private static TradeSyncRun Running(Guid runId) => TradeSyncRun.Started(new TradeSyncStarted(Credential, "binance", runId, null, null,
        ["BTC/USDT", "ETH/USDT"], ["BTC", "ETH", "USDT"], ["deposits"], At.AddMinutes(-5)));

    [Fact]
    public void a_complete_run_ends_with_its_last_checkpoint_and_its_counts()
    {
        var runId = Guid.CreateVersion7();
        var checkpoint = new TradeSyncCheckpointed(Credential, runId, ["ETH/USDT"], [], [], null, At);

        var (reply, events, messages) = FinishTradeSyncHandler.Handle(
            new FinishTradeSync(Credential, "binance", null, runId, 1200, 3, 4, null, null, checkpoint, At), Running(runId), ForUser);

        events.Count.ShouldBe(2);
        events[0].ShouldBe(checkpoint);
        var finished = events[1].ShouldBeOfType<TradeSyncFinished>();
        (finished.RunId, finished.Complete, finished.TradesSynced, finished.Duplicates, finished.Pages).ShouldBe((runId, true, 1200, 3, 4));
        reply.Success.ShouldBeTrue();
        (reply.TradesSynced, reply.TradesDuplicate).ShouldBe((1200, 3));
        messages.OfType<TradesSyncedV1>().ShouldHaveSingleItem().TradesSynced.ShouldBe(1200);
        messages.OfType<RecordCredentialUse>().ShouldHaveSingleItem();
    }

    [Fact]
    public void a_run_cut_short_records_the_failure_then_what_it_walked_then_its_resumable_end()
    {
        var runId = Guid.CreateVersion7();
        var checkpoint = new TradeSyncCheckpointed(Credential, runId, ["BTC/USDT"], ["BNB/BTC"], ["BNB"], null, At);
        const string covered = "rate limited; covered 1 of 3 markets (10 trades stored); the next sync resumes from there";

        var (reply, events, messages) = FinishTradeSyncHandler.Handle(
            new FinishTradeSync(Credential, "binance", null, runId, 10, 0, 1, Refused(ExchangeErrorType.RateLimited), covered, checkpoint, At),
            Running(runId), ForUser);

        events.Select(e => e.GetType()).ShouldBe([typeof(SyncFailed), typeof(TradeSyncCheckpointed), typeof(TradeSyncFinished)]);
        var finished = (TradeSyncFinished)events[2];
        (finished.Complete, finished.ErrorType, finished.Error).ShouldBe((false, "rate_limited", covered));
        reply.Success.ShouldBeFalse();
        (reply.ErrorType, reply.Error, reply.TradesSynced).ShouldBe(("rate_limited", covered, 10));
        messages.OfType<SyncFailedV1>().ShouldHaveSingleItem().Operation.ShouldBe("trades");
        messages.OfType<RecordCredentialValidation>().ShouldBeEmpty();
    }

    [Fact]
    public void a_failure_before_any_run_began_records_only_the_failure()
    {
        var (_, events, _) = FinishTradeSyncHandler.Handle(
            new FinishTradeSync(Credential, "binance", null, null, 0, 0, 0, Refused(ExchangeErrorType.ExchangeUnavailable), "down", null, At), null, ForUser);

        events.ShouldHaveSingleItem().ShouldBeOfType<SyncFailed>();
    }

    [Fact]
    public void a_run_already_recorded_as_ended_is_not_ended_again()
    {
        var runId = Guid.CreateVersion7();
        var ended = Running(runId).Ended(new TradeSyncFinished(Credential, "binance", runId, true, 5, 0, 1, null, null, At.AddSeconds(-1)));

        var (reply, events, _) = FinishTradeSyncHandler.Handle(
            new FinishTradeSync(Credential, "binance", null, runId, 5, 0, 1, null, null, null, At), ended, ForUser);

        events.ShouldBeEmpty();
        reply.Success.ShouldBeTrue();
    }

    [Fact]
    public void the_write_model_follows_snapshots_and_settings_but_not_trade_pages()
    {
        var projection = new ExchangeAccountProjection();
        var account = projection.Create(new BalancesSynced(Credential, "binance", [], At));
        account = projection.Apply(new BnbBurnChanged(Credential, "binance", true, true, At.AddMinutes(1)), account);

        (account.Id, account.Exchange, account.LastBalanceSync, account.SpotBnbBurn).ShouldBe((Credential, "binance", At, true));
        typeof(ExchangeAccountProjection).GetMethods().SelectMany(m => m.GetParameters()).Select(p => p.ParameterType)
            .ShouldNotContain(typeof(TradesSynced));
        typeof(ExchangeAccountProjection).GetMethods().SelectMany(m => m.GetParameters()).Select(p => p.ParameterType)
            .ShouldNotContain(typeof(TradeSyncCheckpointed));
    }
}

/// <summary>The recording marks the bus delivery that led to it handled, in its own transaction: a delivery recovered
/// after its instance died between the recording and the I/O handler's return is not run a second time.</summary>
[Collection(SyncCollection.Name)]
public sealed class RecordingCompletesTheDeliveryTests(SyncSuite sync)
{
    [Fact]
    public async Task a_recorded_snapshot_leaves_the_delivery_that_led_to_it_handled()
    {
        var user = new User(sync);
        var credential = await user.ConnectAsync(sync.Simulator.Account("kraken", "demo"));
        var runtime = sync.Suite.Sync.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>();
        // A delivery of the bus command as the durable inbox holds it while its handler runs: owned by this instance, not handled.
        var delivery = new Envelope
        {
            Id = Guid.CreateVersion7(), MessageType = "bitcain.sync.sync-balances.v1", ContentType = "application/json", TenantId = user.Id,
            Destination = new Uri("rabbitmq://queue/" + Bitcain.Contracts.BusTopology.SyncCommands), Data = "{\"exchange\":\"kraken\"}"u8.ToArray(),
            Status = EnvelopeStatus.Incoming, OwnerId = runtime.Options.Durability.AssignedNodeNumber,
        };
        await runtime.Storage.Inbox.StoreIncomingAsync(delivery);
        (await StatusAsync(delivery.Id)).ShouldBe("Incoming");

        var reply = await sync.Suite.Sync.MessageBus().InvokeForTenantAsync<BalanceSyncResult>(user.Id,
            new RecordBalanceSnapshot(credential, "kraken", new Dictionary<string, Balance> { ["BTC"] = new("BTC", 1m, 0m) }, null, DateTimeOffset.UtcNow)
                { Delivery = delivery });

        reply.Success.ShouldBeTrue();
        (await StatusAsync(delivery.Id)).ShouldBe("Handled");
        (await sync.EventCountAsync(user.Id, SyncEventNames.BalancesSynced)).ShouldBe(1);
    }

    private async Task<string?> StatusAsync(Guid id)
    {
        await using var conn = new Npgsql.NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT status FROM sync_messages.wolverine_incoming_envelopes WHERE id = $1", conn)
        {
            Parameters = { new() { Value = id } },
        };
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
