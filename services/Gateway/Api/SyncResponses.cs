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

public sealed record BalanceResponse(IReadOnlyDictionary<string, CurrencyBalanceResponse> Balances, string Exchange, string? Currency, DateTimeOffset? LastSync)
{
    public static BalanceResponse From(BalanceList r, string exchange, string? currency) => new(
        r.Balances.ToDictionary(b => b.Currency, b => new CurrencyBalanceResponse(b.Currency, b.Free, b.Locked, b.Total, b.SyncTimestamp)), exchange, currency, r.LastSync);
}

public sealed record BalanceHistoryItemResponse(string Currency, decimal Free, decimal Locked, decimal Total, DateTimeOffset SyncTimestamp, string SyncStatus);

public sealed record BalanceHistoryResponse(IReadOnlyList<BalanceHistoryItemResponse> History, string Exchange, string Currency, long TotalRecords)
{
    public static BalanceHistoryResponse From(BalanceHistory r, string exchange, string currency) => new(
        r.History.Select(h => new BalanceHistoryItemResponse(h.Currency, h.Free, h.Locked, h.Total, h.SyncTimestamp, h.SyncStatus)).ToList(), exchange, currency, r.TotalRecords);
}

public sealed record TradeSyncResponse(bool Success, string UserId, string Exchange, string? Symbol, int TradesSynced, int TradesDuplicate,
    DateTimeOffset Timestamp, string? Error, string? ErrorType);

public sealed record TradeResponse(string Id, string ExchangeTradeId, string Exchange, string Symbol, string Side, decimal Price, decimal Amount,
    decimal Total, decimal? Fee, string? FeeCurrency, DateTimeOffset TradeTimestamp, string SyncStatus, DateTimeOffset CreatedAt)
{
    public static TradeResponse From(StoredTrade t) => new(t.Id.ToString(), t.ExchangeTradeId, t.Exchange, t.Symbol, t.Side, t.Price, t.Amount,
        t.Total, t.Fee, t.FeeCurrency, t.TradeTimestamp, t.SyncStatus, t.CreatedAt);
}

public sealed record TradeListResponse(IReadOnlyList<TradeResponse> Trades, string Exchange, string? Symbol, long TotalRecords, bool HasMore)
{
    public static TradeListResponse From(TradeList r, string exchange, string? symbol, int offset) =>
        new(r.Trades.Select(TradeResponse.From).ToList(), exchange, symbol, r.TotalRecords, offset + r.Trades.Count < r.TotalRecords);
}

public sealed record TradeStatsResponse(long TotalTrades, long BuyCount, long SellCount, decimal TotalVolume, decimal TotalFees, long SyncedCount,
    long FailedCount, DateTimeOffset? FirstTrade, DateTimeOffset? LastTrade, string? Exchange, DateTimeOffset? StartDate, DateTimeOffset? EndDate)
{
    public static TradeStatsResponse From(TradeStats s, string? exchange, DateTimeOffset? startDate, DateTimeOffset? endDate) => new(s.TotalTrades,
        s.BuyCount, s.SellCount, s.TotalVolume, s.TotalFees, s.SyncedCount, s.FailedCount, s.FirstTrade, s.LastTrade, exchange, startDate, endDate);
}

public sealed record BnbBurnResponse(string Exchange, bool SpotBnbBurn, bool InterestBnbBurn);

public sealed record DustAssetResponse(string Asset, decimal Free, decimal? ToBtc, decimal? ToBnb);

public sealed record DustAssetsResponse(string Exchange, IReadOnlyList<DustAssetResponse> Assets, decimal? TotalToBtc, decimal? TotalToBnb);

public sealed record SyncFailureResponse(DateTimeOffset At, string Operation, string ErrorType, string Error);

public sealed record AccountSyncStatusResponse(string Exchange, Guid CredentialId, DateTimeOffset? LastBalanceSync, int CurrenciesSynced,
    DateTimeOffset? LastTradeSync, long TradesStored, long BalanceSyncs, long TradePagesStored, long Failures, int ConsecutiveFailures,
    SyncFailureResponse? LastFailure, long CurrentThrough, RunningTradeSyncResponse? RunningTradeSync)
{
    public static AccountSyncStatusResponse From(AccountSyncStatusItem a) => new(a.Exchange, a.CredentialId, a.LastBalanceSync, a.CurrenciesSynced,
        a.LastTradeSync, a.TradesStored, a.BalanceSyncs, a.TradePagesStored, a.Failures, a.ConsecutiveFailures,
        a.LastFailure is { } f ? new SyncFailureResponse(f.At, f.Operation, f.ErrorType, f.Error) : null, a.CurrentThrough,
        a.RunningTradeSync is { } r ? new RunningTradeSyncResponse(r.RunId, r.Symbol, r.StartedAt, r.MarketsPlanned, r.MarketsDone, r.Pages, r.TradesSoFar, r.LastProgressAt) : null);
}

/// <summary>A trade sync under way: <c>markets_done</c> of <c>markets_planned</c> where the exchange answers per market
/// (Binance, Binance.US), pages and trades stored so far.</summary>
public sealed record RunningTradeSyncResponse(Guid RunId, string? Symbol, DateTimeOffset StartedAt, int MarketsPlanned, int MarketsDone, int Pages,
    int TradesSoFar, DateTimeOffset LastProgressAt);

public sealed record SyncStatusResponse(IReadOnlyList<AccountSyncStatusResponse> Accounts, int TotalCount)
{
    public static SyncStatusResponse From(SyncStatusList r) => new(r.Accounts.Select(AccountSyncStatusResponse.From).ToList(), r.Accounts.Count);
}
