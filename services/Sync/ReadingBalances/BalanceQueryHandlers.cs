using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.Sync.Account;
using Marten;
using Wolverine;

namespace Bitcain.Sync.ReadingBalances;

/// <summary>Balance queries, answered from the projections; the session is already scoped to the user.</summary>
public static class BalanceQueryHandler
{
    public static async Task<BalanceList> Handle(GetBalances query, IQuerySession session, CancellationToken ct)
    {
        var snapshots = query.CredentialId is { } id
            ? await session.Query<AccountBalances>().Where(a => a.Id == id && a.Exchange == query.Exchange).ToListAsync(ct)
            : await session.Query<AccountBalances>().Where(a => a.Exchange == query.Exchange).OrderByDescending(a => a.LastSync).Take(1).ToListAsync(ct);
        var latest = snapshots.FirstOrDefault();
        if (latest is null) return new BalanceList([], null);
        var balances = latest.Balances
            .Where(b => b.Total != 0m)
            .Where(b => query.Currency is null || string.Equals(b.Currency, query.Currency, StringComparison.OrdinalIgnoreCase))
            .Select(b => new CurrencyBalance(b.Currency, b.Free, b.Locked, b.Total, latest.LastSync))
            .ToList();
        return new BalanceList(balances, latest.LastSync);
    }

    public static async Task<BalanceHistory> Handle(GetBalanceHistory query, IQuerySession session, CancellationToken ct)
    {
        var currency = query.Currency.ToUpperInvariant();
        var rows = session.Query<BalanceHistoryRow>().Where(r => r.Exchange == query.Exchange && r.Currency == currency);
        if (query.StartDate is { } start) rows = rows.Where(r => r.SyncTimestamp >= start);
        if (query.EndDate is { } end) rows = rows.Where(r => r.SyncTimestamp <= end);
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(r => r.SyncTimestamp).Take(QueryBounds.Limit(query.Limit)).ToListAsync(ct);
        return new BalanceHistory(page.Select(r => new BalanceHistoryItem(r.Currency, r.Free, r.Locked, r.Total, r.SyncTimestamp, r.SyncStatus)).ToList(), total);
    }
}
