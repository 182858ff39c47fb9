using Bitcain.Contracts.Sync;
using Bitcain.Sync.Account;
using Marten;
using Wolverine;

namespace Bitcain.Sync.SyncStatus;

/// <summary>The user's accounts' sync status, from the async projection; the session is already scoped to the user.</summary>
public static class SyncStatusQueryHandler
{
    public static async Task<SyncStatusList> Handle(GetSyncStatus query, IQuerySession session, CancellationToken ct)
    {
        var statuses = session.Query<AccountSyncStatus>().AsQueryable();
        if (query.Exchange is { } exchange) statuses = statuses.Where(s => s.Exchange == exchange);
        var found = await statuses.OrderBy(s => s.Exchange).ThenBy(s => s.Id).ToListAsync(ct);
        return new SyncStatusList(found.Select(s => new AccountSyncStatusItem(
            s.Exchange, s.Id, s.LastBalanceSync, s.CurrenciesSynced, s.LastTradeSync, s.TradesStored, s.BalanceSyncs, s.TradePagesStored,
            s.Failures, s.ConsecutiveFailures,
            s.LastFailure is { } f ? new SyncFailureItem(f.At, f.Operation, f.ErrorType, f.Error) : null,
            s.CurrentThrough,
            s.RunningTradeSync is { } r ? new RunningTradeSyncItem(r.RunId, r.Symbol, r.StartedAt, r.MarketsPlanned, r.MarketsDone, r.Pages, r.TradesSoFar, r.LastProgressAt) : null)).ToList());
    }
}
