using System.Text.Json;
using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.ServiceDefaults;
using Bitcain.Sync.Account;
using Bitcain.Sync.ReadingBalances;
using JasperFx.Events;
using Marten;
using Wolverine;

namespace Bitcain.Sync.Auditing;

/// <summary>The user's sync and account-setting events as audit items; the session is scoped to the user.</summary>
public static class SyncAuditHandler
{
    public static async Task<AuditEventPage> Handle(GetSyncAuditEvents query, IQuerySession session, CancellationToken ct)
    {
        var f = query.Filter;
        var events = session.Events.QueryAllRawEvents().Where(e => e.EventTypeName.IsOneOf(Audited));
        if (f.CredentialId is { } credential) events = events.Where(e => e.StreamId == credential);
        if (f.Exchange is { } exchange)
        {
            var streams = await session.Query<SyncAccount>().Where(a => a.Exchange == exchange).Select(a => a.Id).ToListAsync(ct);
            var ids = streams.ToArray();
            events = events.Where(e => e.StreamId.IsOneOf(ids));
        }
        if (f.StartDate is { } start) events = events.Where(e => e.Timestamp >= start);
        if (f.EndDate is { } end) events = events.Where(e => e.Timestamp <= end);
        var total = await events.CountAsync(ct);
        var page = await events.OrderByDescending(e => e.Sequence).Take(QueryBounds.Window(f.Offset, f.Limit)).ToListAsync(ct);
        return new AuditEventPage(page.Select(ToItem).ToList(), total);
    }

    // A running sync's checkpoints are its bookkeeping (one per few markets walked); its start and end are the record.
    private static readonly string[] Audited = SyncEventNames.All.Where(n => n != SyncEventNames.TradeSyncCheckpointed).ToArray();

    public static AuditEventItem ToItem(IEvent e)
    {
        (string? exchange, Guid? credential, object data) = e.Data switch
        {
            BalancesSynced b => ((string?)b.Exchange, (Guid?)b.CredentialId, (object)new
            {
                currencies_synced = b.Balances.Count(x => x.Total != 0m),
                balances = b.Balances.Where(x => x.Total != 0m).ToDictionary(x => x.Currency, x => new { x.Free, x.Locked, x.Total }),
                synced_at = b.SyncedAt,
            }),
            TradesSynced t => (t.Exchange, t.CredentialId, (object)new
            {
                symbol = t.Symbol,
                trades_synced = t.StoredCount(),
                trades_duplicate = t.Duplicates,
                exchange_trade_ids = t.StoredTradeIds(),
                synced_at = t.SyncedAt,
            }),
            SyncFailed s => (s.Exchange, s.CredentialId, (object)new { operation = s.Operation, error_type = s.ErrorType, error = s.Error, failed_at = s.FailedAt }),
            TradeSyncStarted r => (r.Exchange, r.CredentialId, (object)new
            {
                run_id = r.RunId, symbol = r.Symbol, since = r.Since, markets_planned = r.Markets.Count, sources = r.Sources, started_at = r.StartedAt,
            }),
            TradeSyncFinished r => (r.Exchange, r.CredentialId, (object)new
            {
                run_id = r.RunId, complete = r.Complete, trades_synced = r.TradesSynced, trades_duplicate = r.Duplicates, pages = r.Pages,
                error_type = r.ErrorType, error = r.Error, finished_at = r.At,
            }),
            BnbBurnChanged c => (c.Exchange, c.CredentialId, (object)new { spot_bnb_burn = c.SpotBnbBurn, interest_bnb_burn = c.InterestBnbBurn, changed_at = c.ChangedAt }),
            _ => ((string?)null, (Guid?)null, (object)new { }),
        };
        return new AuditEventItem(e.Sequence, e.StreamId.ToString(), e.EventTypeName, e.Timestamp, exchange, credential,
            JsonSerializer.SerializeToElement(data, BitcainMessaging.JsonOptions));
    }
}
