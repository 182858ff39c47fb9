using Marten.Events;

namespace Bitcain.Sync.Account;

// The events of one exchange account's stream (stream id = the credential id, tenant = the user).

public sealed record SyncedBalance(string Currency, decimal Free, decimal Locked, decimal Total);

/// <summary>The whole balance snapshot the exchange returned (zero balances included: they say "none left").</summary>
public sealed record BalancesSynced(Guid CredentialId, string Exchange, IReadOnlyList<SyncedBalance> Balances, DateTimeOffset SyncedAt);

public sealed record SyncedTrade(
    string ExchangeTradeId,
    string? OrderId,
    string Symbol,
    string ExchangeSymbol,
    string Side,
    decimal Price,
    decimal Amount,
    decimal Cost,
    decimal? Fee,
    string? FeeCurrency,
    DateTimeOffset Timestamp);

/// <summary>One stored page of a trade sync: the trades new to the account, and how many of the page were already stored.</summary>
public sealed record TradesSynced(Guid CredentialId, string Exchange, string? Symbol, IReadOnlyList<SyncedTrade> Trades, int Duplicates, DateTimeOffset SyncedAt);

/// <summary>A sync (<c>balances</c> or <c>trades</c>) the exchange refused or could not answer.</summary>
public sealed record SyncFailed(Guid CredentialId, string Exchange, string Operation, string ErrorType, string Error, DateTimeOffset FailedAt);

public sealed record BnbBurnChanged(Guid CredentialId, string Exchange, bool SpotBnbBurn, bool InterestBnbBurn, DateTimeOffset ChangedAt);

/// <summary>Stored names are part of the data: renaming a class must never orphan a stored event.</summary>
public static class SyncEventNames
{
    public const string BalancesSynced = "sync.balances_synced.v1";
    public const string TradesSynced = "sync.trades_synced.v1";
    public const string SyncFailed = "sync.sync_failed.v1";
    public const string BnbBurnChanged = "sync.bnb_burn_changed.v1";

    public static readonly IReadOnlyList<string> All = [BalancesSynced, TradesSynced, SyncFailed, BnbBurnChanged];

    public static void Register(IEventStoreOptions events)
    {
        events.MapEventType<BalancesSynced>(BalancesSynced);
        events.MapEventType<TradesSynced>(TradesSynced);
        events.MapEventType<SyncFailed>(SyncFailed);
        events.MapEventType<BnbBurnChanged>(BnbBurnChanged);
    }
}
