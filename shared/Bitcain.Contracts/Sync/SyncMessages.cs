using Wolverine.Attributes;

namespace Bitcain.Contracts.Sync;

// Balance and trade syncs of one user's exchange account (a credential). The user is the tenant header, as for
// every user message. Commands go to BusTopology.SyncCommands (durable), queries to BusTopology.SyncQueries.
// Exchange names arrive resolved to the catalog id (binance_us -> binanceus).

/// <summary>Fetch the account's balances and record them. <see cref="CredentialId"/> null: the user's active credential.</summary>
[MessageIdentity("bitcain.sync.sync-balances.v1")]
public sealed record SyncBalances(string Exchange, Guid? CredentialId) : ISyncCommand;

public sealed record BalanceAmount(decimal Free, decimal Locked, decimal Total);

[MessageIdentity("bitcain.sync.balance-sync-result.v1")]
public sealed record BalanceSyncResult(
    bool Success,
    string Exchange,
    Guid? CredentialId,
    int CurrenciesSynced,
    IReadOnlyDictionary<string, BalanceAmount> Balances,
    DateTimeOffset Timestamp,
    string? Error,
    string? ErrorType) : IServiceReply;

/// <summary>
/// Fetch every trade since <see cref="Since"/> (null: since the last trade stored for the account), page size
/// <see cref="Limit"/>. <see cref="Symbol"/> null on an exchange that needs one: every symbol held or traded.
/// </summary>
[MessageIdentity("bitcain.sync.sync-trades.v1")]
public sealed record SyncTrades(string Exchange, Guid? CredentialId, string? Symbol, DateTimeOffset? Since, int Limit) : ISyncCommand;

[MessageIdentity("bitcain.sync.trade-sync-result.v1")]
public sealed record TradeSyncResult(
    bool Success,
    string Exchange,
    Guid? CredentialId,
    string? Symbol,
    int TradesSynced,
    int TradesDuplicate,
    DateTimeOffset Timestamp,
    string? Error,
    string? ErrorType) : IServiceReply;

[MessageIdentity("bitcain.sync.get-balances.v1")]
public sealed record GetBalances(string Exchange, string? Currency, Guid? CredentialId) : ISyncQuery;

public sealed record CurrencyBalance(string Currency, decimal Free, decimal Locked, decimal Total, DateTimeOffset SyncTimestamp);

[MessageIdentity("bitcain.sync.balance-list.v1")]
public sealed record BalanceList(IReadOnlyList<CurrencyBalance> Balances, DateTimeOffset? LastSync) : IServiceReply;

[MessageIdentity("bitcain.sync.get-balance-history.v1")]
public sealed record GetBalanceHistory(string Exchange, string Currency, DateTimeOffset? StartDate, DateTimeOffset? EndDate, int Limit) : ISyncQuery;

public sealed record BalanceHistoryItem(string Currency, decimal Free, decimal Locked, decimal Total, DateTimeOffset SyncTimestamp, string SyncStatus);

[MessageIdentity("bitcain.sync.balance-history.v1")]
public sealed record BalanceHistory(IReadOnlyList<BalanceHistoryItem> History, long TotalRecords) : IServiceReply;

[MessageIdentity("bitcain.sync.get-trades.v1")]
public sealed record GetTrades(string Exchange, string? Symbol, DateTimeOffset? StartDate, DateTimeOffset? EndDate, int Limit, int Offset) : ISyncQuery;

public sealed record StoredTrade(
    Guid Id,
    string ExchangeTradeId,
    string Exchange,
    string Symbol,
    string Side,
    decimal Price,
    decimal Amount,
    decimal Total,
    decimal? Fee,
    string? FeeCurrency,
    DateTimeOffset TradeTimestamp,
    string SyncStatus,
    DateTimeOffset CreatedAt);

[MessageIdentity("bitcain.sync.trade-list.v1")]
public sealed record TradeList(IReadOnlyList<StoredTrade> Trades, long TotalRecords) : IServiceReply;

[MessageIdentity("bitcain.sync.get-trade-stats.v1")]
public sealed record GetTradeStats(string? Exchange, DateTimeOffset? StartDate, DateTimeOffset? EndDate) : ISyncQuery;

[MessageIdentity("bitcain.sync.trade-stats.v1")]
public sealed record TradeStats(
    long TotalTrades,
    long BuyCount,
    long SellCount,
    decimal TotalVolume,
    decimal TotalFees,
    long SyncedCount,
    long FailedCount,
    DateTimeOffset? FirstTrade,
    DateTimeOffset? LastTrade) : IServiceReply;

/// <summary>How an account-settings request ended: <c>ok</c>, or a reason the gateway maps to 400 (unsupported) or the body.</summary>
public enum AccountSettingOutcome { Ok, Unsupported, NoCredentials, ExchangeFailed }

[MessageIdentity("bitcain.sync.get-bnb-burn.v1")]
public sealed record GetBnbBurn(string Exchange) : ISyncQuery;

/// <summary>Turn paying spot fees in BNB on or off (sent to the commands queue: it changes the account).</summary>
[MessageIdentity("bitcain.sync.set-bnb-burn.v1")]
public sealed record SetBnbBurn(string Exchange, bool SpotBnbBurn) : ISyncCommand;

[MessageIdentity("bitcain.sync.bnb-burn-reply.v1")]
public sealed record BnbBurnReply(AccountSettingOutcome Outcome, bool SpotBnbBurn, bool InterestBnbBurn, string? Detail, string? ErrorType) : IServiceReply;

[MessageIdentity("bitcain.sync.get-dust-assets.v1")]
public sealed record GetDustAssets(string Exchange) : ISyncQuery;

public sealed record DustAssetItem(string Asset, decimal Free, decimal? ToBtc, decimal? ToBnb);

[MessageIdentity("bitcain.sync.dust-assets-reply.v1")]
public sealed record DustAssetsReply(AccountSettingOutcome Outcome, IReadOnlyList<DustAssetItem> Assets, decimal? TotalToBtc, decimal? TotalToBnb, string? Detail, string? ErrorType) : IServiceReply;

/// <summary>The sync service's part of <c>GET /api/audit/events</c>: sync and account-setting events of the user.</summary>
[MessageIdentity("bitcain.sync.get-sync-audit-events.v1")]
public sealed record GetSyncAuditEvents(AuditFilter Filter) : ISyncQuery;

/// <summary>
/// One run of a credential's scheduled balance sync (config <c>Sync:ScheduledBalanceSyncMinutes</c>): syncs, then
/// schedules the next run <see cref="IntervalMinutes"/> later while the credential exists and is active. Scheduled
/// through Wolverine's durable message store, so a pending run survives a restart.
/// </summary>
[MessageIdentity("bitcain.sync.scheduled-balance-sync.v1")]
public sealed record ScheduledBalanceSync(Guid CredentialId, string Exchange, double IntervalMinutes) : ISyncCommand;

/// <summary>
/// The sync status of the user's exchange accounts (all, or one exchange's), from an asynchronous projection: it may
/// trail the latest sync by a moment (<see cref="AccountSyncStatusItem.CurrentThrough"/> says how far it has read).
/// </summary>
[MessageIdentity("bitcain.sync.get-sync-status.v1")]
public sealed record GetSyncStatus(string? Exchange) : ISyncQuery;

public sealed record SyncFailureItem(DateTimeOffset At, string Operation, string ErrorType, string Error);

public sealed record AccountSyncStatusItem(
    string Exchange,
    Guid CredentialId,
    DateTimeOffset? LastBalanceSync,
    int CurrenciesSynced,
    DateTimeOffset? LastTradeSync,
    long TradesStored,
    long BalanceSyncs,
    long TradePagesStored,
    long Failures,
    int ConsecutiveFailures,
    SyncFailureItem? LastFailure,
    long CurrentThrough,
    RunningTradeSyncItem? RunningTradeSync = null);

/// <summary>A trade sync under way on the account: markets walked of those planned where the exchange answers per market.</summary>
public sealed record RunningTradeSyncItem(Guid RunId, string? Symbol, DateTimeOffset StartedAt, int MarketsPlanned, int MarketsDone, int Pages,
    int TradesSoFar, DateTimeOffset LastProgressAt);

[MessageIdentity("bitcain.sync.sync-status-list.v1")]
public sealed record SyncStatusList(IReadOnlyList<AccountSyncStatusItem> Accounts) : IServiceReply;
