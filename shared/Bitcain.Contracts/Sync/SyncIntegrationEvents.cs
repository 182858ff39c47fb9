using Wolverine.Attributes;

namespace Bitcain.Contracts.Sync;

// Published to BusTopology.Events with the name as routing key. No secret material, ever.

[MessageIdentity("bitcain.sync.balances-synced.v1")]
public sealed record BalancesSyncedV1(string UserId, Guid CredentialId, string Exchange, int CurrenciesSynced, DateTimeOffset SyncedAt) : IIntegrationEvent;

[MessageIdentity("bitcain.sync.trades-synced.v1")]
public sealed record TradesSyncedV1(string UserId, Guid CredentialId, string Exchange, string? Symbol, int TradesSynced, int TradesDuplicate, DateTimeOffset SyncedAt) : IIntegrationEvent;

[MessageIdentity("bitcain.sync.sync-failed.v1")]
public sealed record SyncFailedV1(string UserId, Guid? CredentialId, string Exchange, string Operation, string ErrorType, string Error, DateTimeOffset FailedAt) : IIntegrationEvent;

/// <summary>One more page of a running trade sync was stored. Where the exchange answers per market, the sync walks
/// <see cref="MarketsPlanned"/> markets and has finished <see cref="MarketsDone"/> of them (null elsewhere).</summary>
[MessageIdentity("bitcain.sync.trade-sync-progressed.v1")]
public sealed record TradeSyncProgressedV1(string UserId, Guid CredentialId, string Exchange, string? Symbol, int Pages, int TradesSoFar, int DuplicatesSoFar,
    DateTimeOffset At, int? MarketsDone = null, int? MarketsPlanned = null) : IIntegrationEvent;
