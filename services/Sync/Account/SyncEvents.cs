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

/// <summary>
/// One stored page of a trade sync: the exchange trade ids new to the account, and how many of the page were already
/// stored. The trades themselves are in the trade table (by credential and exchange trade id), committed with this event;
/// events stored before that carry the whole trades in <paramref name="Trades"/> and no ids, and read the same through
/// <see cref="StoredTradeIds"/>. Writing each page's 1,000 trades again into the event was a quarter of a page's storing.
/// </summary>
public sealed record TradesSynced(Guid CredentialId, string Exchange, string? Symbol, IReadOnlyList<SyncedTrade>? Trades, int Duplicates,
    DateTimeOffset SyncedAt, IReadOnlyList<string>? ExchangeTradeIds = null)
{
    public static TradesSynced Stored(Guid credentialId, string exchange, string? symbol, IReadOnlyList<string> exchangeTradeIds, int duplicates,
        DateTimeOffset syncedAt) => new(credentialId, exchange, symbol, null, duplicates, syncedAt, exchangeTradeIds);

    // Methods, not properties: the event's stored JSON carries only what was recorded.
    public IReadOnlyList<string> StoredTradeIds() => ExchangeTradeIds ?? Trades?.Select(t => t.ExchangeTradeId).ToList() ?? [];

    public int StoredCount() => ExchangeTradeIds?.Count ?? Trades?.Count ?? 0;
}

/// <summary>A sync (<c>balances</c> or <c>trades</c>) the exchange refused or could not answer.</summary>
public sealed record SyncFailed(Guid CredentialId, string Exchange, string Operation, string ErrorType, string Error, DateTimeOffset FailedAt);

/// <summary>
/// A trade sync began: what it was asked (<paramref name="Symbol"/>, <paramref name="Since"/>) and, where the exchange's
/// history is per market, the markets it plans to walk and the assets that chose them. One account runs one at a time.
/// </summary>
public sealed record TradeSyncStarted(Guid CredentialId, string Exchange, Guid RunId, string? Symbol, DateTimeOffset? Since,
    IReadOnlyList<string> Markets, IReadOnlyList<string> KnownAssets, IReadOnlyList<string> Sources, DateTimeOffset StartedAt);

/// <summary>How far a running trade sync has come: markets walked to their end, markets its findings added to the plan
/// (a traded asset opens the markets it trades in), and the exchange's cursor where the history is one walk.</summary>
public sealed record TradeSyncCheckpointed(Guid CredentialId, Guid RunId, IReadOnlyList<string> MarketsDone, IReadOnlyList<string> MarketsAdded,
    IReadOnlyList<string> AssetsAdded, string? Cursor, DateTimeOffset At);

/// <summary>A trade sync ended: complete, or cut short (its <paramref name="ErrorType"/>) and resumable from its checkpoints.</summary>
public sealed record TradeSyncFinished(Guid CredentialId, string Exchange, Guid RunId, bool Complete, int TradesSynced, int Duplicates, int Pages,
    string? ErrorType, string? Error, DateTimeOffset At);

public sealed record BnbBurnChanged(Guid CredentialId, string Exchange, bool SpotBnbBurn, bool InterestBnbBurn, DateTimeOffset ChangedAt);

/// <summary>Stored names are part of the data: renaming a class must never orphan a stored event.</summary>
public static class SyncEventNames
{
    public const string BalancesSynced = "sync.balances_synced.v1";
    public const string TradesSynced = "sync.trades_synced.v1";
    public const string SyncFailed = "sync.sync_failed.v1";
    public const string BnbBurnChanged = "sync.bnb_burn_changed.v1";
    public const string TradeSyncStarted = "sync.trade_sync_started.v1";
    public const string TradeSyncCheckpointed = "sync.trade_sync_checkpointed.v1";
    public const string TradeSyncFinished = "sync.trade_sync_finished.v1";

    public static readonly IReadOnlyList<string> All =
        [BalancesSynced, TradesSynced, SyncFailed, BnbBurnChanged, TradeSyncStarted, TradeSyncCheckpointed, TradeSyncFinished];

    public static void Register(IEventStoreOptions events)
    {
        events.MapEventType<BalancesSynced>(BalancesSynced);
        events.MapEventType<TradesSynced>(TradesSynced);
        events.MapEventType<SyncFailed>(SyncFailed);
        events.MapEventType<BnbBurnChanged>(BnbBurnChanged);
        events.MapEventType<TradeSyncStarted>(TradeSyncStarted);
        events.MapEventType<TradeSyncCheckpointed>(TradeSyncCheckpointed);
        events.MapEventType<TradeSyncFinished>(TradeSyncFinished);
    }
}
