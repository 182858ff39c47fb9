using Bitcain.Contracts.Sync;

namespace Bitcain.Gateway.Api;

public sealed record BalanceAmountResponse(decimal Free, decimal Locked, decimal Total);

public sealed record BalanceSyncResponse(bool Success, string UserId, string Exchange, int CurrenciesSynced,
    IReadOnlyDictionary<string, BalanceAmountResponse> Balances, DateTimeOffset Timestamp, string? Error, string? ErrorType)
{
    public static BalanceSyncResponse From(string user, BalanceSyncResult r) => new(r.Success, user, r.Exchange, r.CurrenciesSynced,
        r.Balances.ToDictionary(b => b.Key, b => new BalanceAmountResponse(b.Value.Free, b.Value.Locked, b.Value.Total)), r.Timestamp, r.Error, r.ErrorType);
}

public sealed record CurrencyBalanceResponse(string Currency, decimal Free, decimal Locked, decimal Total, DateTimeOffset SyncTimestamp);

public sealed record BalanceResponse(IReadOnlyDictionary<string, CurrencyBalanceResponse> Balances, string Exchange, string? Currency, DateTimeOffset? LastSync);

public sealed record BalanceHistoryItemResponse(string Currency, decimal Free, decimal Locked, decimal Total, DateTimeOffset SyncTimestamp, string SyncStatus);

public sealed record BalanceHistoryResponse(IReadOnlyList<BalanceHistoryItemResponse> History, string Exchange, string Currency, long TotalRecords);

public sealed record TradeSyncResponse(bool Success, string UserId, string Exchange, string? Symbol, int TradesSynced, int TradesDuplicate,
    DateTimeOffset Timestamp, string? Error, string? ErrorType);

public sealed record TradeResponse(string Id, string ExchangeTradeId, string Exchange, string Symbol, string Side, decimal Price, decimal Amount,
    decimal Total, decimal? Fee, string? FeeCurrency, DateTimeOffset TradeTimestamp, string SyncStatus, DateTimeOffset CreatedAt)
{
    public static TradeResponse From(StoredTrade t) => new(t.Id.ToString(), t.ExchangeTradeId, t.Exchange, t.Symbol, t.Side, t.Price, t.Amount,
        t.Total, t.Fee, t.FeeCurrency, t.TradeTimestamp, t.SyncStatus, t.CreatedAt);
}

public sealed record TradeListResponse(IReadOnlyList<TradeResponse> Trades, string Exchange, string? Symbol, long TotalRecords, bool HasMore);

public sealed record TradeStatsResponse(long TotalTrades, long BuyCount, long SellCount, decimal TotalVolume, decimal TotalFees, long SyncedCount,
    long FailedCount, DateTimeOffset? FirstTrade, DateTimeOffset? LastTrade, string? Exchange, DateTimeOffset? StartDate, DateTimeOffset? EndDate);

public sealed record BnbBurnResponse(string Exchange, bool SpotBnbBurn, bool InterestBnbBurn);

public sealed record DustAssetResponse(string Asset, decimal Free, decimal? ToBtc, decimal? ToBnb);

public sealed record DustAssetsResponse(string Exchange, IReadOnlyList<DustAssetResponse> Assets, decimal? TotalToBtc, decimal? TotalToBnb);

public sealed record SyncFailureResponse(DateTimeOffset At, string Operation, string ErrorType, string Error);

public sealed record AccountSyncStatusResponse(string Exchange, Guid CredentialId, DateTimeOffset? LastBalanceSync, int CurrenciesSynced,
    DateTimeOffset? LastTradeSync, long TradesStored, long BalanceSyncs, long TradePagesStored, long Failures, int ConsecutiveFailures,
    SyncFailureResponse? LastFailure, long CurrentThrough, RunningTradeSyncResponse? RunningTradeSync);

/// <summary>A trade sync under way: <c>markets_done</c> of <c>markets_planned</c> where the exchange answers per market
/// (Binance, Binance.US), pages and trades stored so far.</summary>
public sealed record RunningTradeSyncResponse(Guid RunId, string? Symbol, DateTimeOffset StartedAt, int MarketsPlanned, int MarketsDone, int Pages,
    int TradesSoFar, DateTimeOffset LastProgressAt);

public sealed record SyncStatusResponse(IReadOnlyList<AccountSyncStatusResponse> Accounts, int TotalCount);
