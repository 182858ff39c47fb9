using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.ServiceDefaults;
using Bitcain.Sync.AccountSettings;
using Bitcain.Sync.SyncingBalances;
using Bitcain.Sync.SyncingTrades;
using Wolverine;

namespace Bitcain.Sync.Account;

/// <summary>The user a message acts for: Wolverine's tenant id, which also scopes every Marten session.</summary>
public static class SyncUser
{
    public static string? Of(Envelope envelope) => UserCheck.Of(envelope);

    public const string Missing = UserCheck.MissingUser;
}

/// <summary>What the sync service answers a message that names no user (UserCheck refuses it before any handler).</summary>
public sealed class SyncMissingUserReplies(TimeProvider clock) : IMissingUserReplies
{
    public object? For(object message) => message switch
    {
        SyncBalances c => BalanceSync.Failed(c.Exchange, c.CredentialId, "invalid_request", UserCheck.MissingUser, clock.GetUtcNow()),
        SyncTrades c => TradeSync.Failed(c, c.CredentialId, 0, 0, "invalid_request", UserCheck.MissingUser, clock.GetUtcNow()),
        GetBnbBurn or SetBnbBurn => BinanceSettings.BnbFailure(AccountSettingOutcome.NoCredentials, UserCheck.MissingUser),
        GetDustAssets => BinanceSettings.DustFailure(AccountSettingOutcome.NoCredentials, UserCheck.MissingUser),
        GetBalances => new BalanceList([], null),
        GetBalanceHistory => new BalanceHistory([], 0),
        GetTrades => new TradeList([], 0),
        GetTradeStats => new TradeStats(0, 0, 0, 0m, 0m, 0, 0, null, null),
        GetSyncStatus => new SyncStatusList([]),
        GetSyncAuditEvents => new AuditEventPage([], 0),
        // ScheduledBalanceSync: one-way, nobody waits; without a user it is not run again.
        _ => null,
    };
}
