using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.Sync.SyncingBalances;
using Wolverine;

namespace Bitcain.Sync.SchedulingSyncs;

public static class BalanceSchedule
{
    public const string IntervalSetting = "Sync:ScheduledBalanceSyncMinutes";

    /// <summary>A run that found no active credential ends the schedule; every other outcome, failures included, goes on.</summary>
    public static bool Continues(BalanceSyncResult result) => result.ErrorType != BalanceSync.NoCredentials;
}

/// <summary>A newly stored credential gets its balances synced every interval (only when the schedule is configured).</summary>
public static class CredentialStoredHandler
{
    public static async Task Handle(CredentialStoredV1 stored, Envelope envelope, IMessageBus bus, IConfiguration configuration)
    {
        var minutes = configuration.GetValue(BalanceSchedule.IntervalSetting, 0.0);
        if (minutes <= 0 || !ExchangeCatalog.TryResolve(stored.ExchangeName, out var exchange)) return;
        // The user is the one the credential service's assertion names, never the body's word alone.
        if (SyncUser.Of(envelope) is not { } user || user != stored.UserId) return;
        await bus.ScheduleAsync(new ScheduledBalanceSync(stored.CredentialId, exchange.Id, minutes), TimeSpan.FromMinutes(minutes),
            new DeliveryOptions { TenantId = user });
    }
}

public static class ScheduledBalanceSyncHandler
{
    public static async Task<OutgoingMessages> Handle(ScheduledBalanceSync run, Envelope envelope, IMessageBus bus, ExchangeAccounts accounts,
        IExchangeClients clients, TimeProvider clock, CancellationToken ct)
    {
        var result = await SyncBalancesHandler.Handle(new SyncBalances(run.Exchange, run.CredentialId), envelope, bus, accounts, clients, clock, ct);
        return BalanceSchedule.Continues(result) ? [run.DelayedFor(TimeSpan.FromMinutes(run.IntervalMinutes))] : [];
    }
}
