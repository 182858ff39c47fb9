using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Marten;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>One page of trades stored: new rows, the user's count, the page's event and the run's checkpoint commit together,
/// so a crash loses no acknowledged page and a resumed sync never skips one.</summary>
public static class TradePages
{
    public static async Task<(int Stored, int Duplicates)> StoreAsync(IDocumentStore store, TradeTable table, string user, OpenedAccount account,
        string? symbol, IReadOnlyList<Trade> page, TradeSyncCheckpointed? checkpoint, DateTimeOffset now, CancellationToken ct,
        TradePagePhases? phases = null)
    {
        // Two syncs of one account appending at the same moment: the loser's transaction (trades and event) rolls
        // back whole and is tried again, and then counts the winner's trades as duplicates.
        for (var attempt = 1; ; attempt++)
        {
            try { return await StoreOnceAsync(store, table, user, account, symbol, page, checkpoint, now, phases, ct); }
            catch (Exception e) when (attempt < 10 && IsConcurrentAppend(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
        }
    }

    private static bool IsConcurrentAppend(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is JasperFx.Events.EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.ExistingStreamIdCollisionException
                or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.SerializationFailure or Npgsql.PostgresErrorCodes.DeadlockDetected })
                return true;
        return false;
    }

    private static async Task<(int Stored, int Duplicates)> StoreOnceAsync(IDocumentStore store, TradeTable table, string user, OpenedAccount account,
        string? symbol, IReadOnlyList<Trade> page, TradeSyncCheckpointed? checkpoint, DateTimeOffset now, TradePagePhases? phases, CancellationToken ct)
    {
        var started = TradePagePhases.Now();
        var trades = page.Select(TradeSync.ToSynced).ToList();
        await using var conn = await table.Database.OpenConnectionAsync(ct);
        IReadOnlyList<SyncedTrade> fresh = trades;
        var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            if (!await TradeTable.TryCopyAllNewAsync(conn, user, account.CredentialId, account.Exchange, trades, now, ct, phases))
            {
                // Some of the page is stored already: its COPY aborted the transaction, which held nothing else yet.
                await tx.RollbackAsync(ct);
                await tx.DisposeAsync();
                tx = await conn.BeginTransactionAsync(ct);
                fresh = await TradeTable.InsertNewAsync(conn, tx, user, account.CredentialId, account.Exchange, trades, now, ct);
            }
            phases?.Rows(started);
            started = TradePagePhases.Now();
            var options = Marten.Services.SessionOptions.ForTransaction(tx);
            options.TenantId = user;
            await using (var session = store.LightweightSession(options))
            {
                var synced = TradesSynced.Stored(account.CredentialId, account.Exchange, symbol, fresh.Select(t => t.ExchangeTradeId).ToList(),
                    trades.Count - fresh.Count, now);
                if (checkpoint is null) session.Events.Append(account.CredentialId, synced);
                else session.Events.Append(account.CredentialId, synced, checkpoint);
                TradeTable.CountStored(session, user, account.Exchange, fresh.Count);
                await session.SaveChangesAsync(ct);
            }
            phases?.Events(started);
            started = TradePagePhases.Now();
            await tx.CommitAsync(ct);
            phases?.Commit(started);
            return (fresh.Count, trades.Count - fresh.Count);
        }
        finally { await tx.DisposeAsync(); }
    }
}
