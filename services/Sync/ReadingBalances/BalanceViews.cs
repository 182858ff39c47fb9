using Bitcain.Sync.Account;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Bitcain.Sync.ReadingBalances;

/// <summary>The latest balance snapshot of one exchange account (id = credential id).</summary>
public sealed class AccountBalances
{
    public Guid Id { get; set; }
    public string Exchange { get; set; } = "";
    public List<SyncedBalance> Balances { get; set; } = [];
    public DateTimeOffset LastSync { get; set; }
}

/// <summary>One currency of one balance snapshot: the balance history's rows.</summary>
public sealed class BalanceHistoryRow
{
    public Guid Id { get; set; }
    public Guid CredentialId { get; set; }
    public string Exchange { get; set; } = "";
    public string Currency { get; set; } = "";
    public decimal Free { get; set; }
    public decimal Locked { get; set; }
    public decimal Total { get; set; }
    public DateTimeOffset SyncTimestamp { get; set; }
    public string SyncStatus { get; set; } = "synced";
}

/// <summary>Which exchange an account stream belongs to, for filtering its events by exchange.</summary>
public sealed class SyncAccount
{
    public Guid Id { get; set; }
    public string Exchange { get; set; } = "";
}

/// <summary>Inline: balances are readable the moment the sync that recorded them answers.</summary>
public partial class BalanceProjection : EventProjection
{
    public void Project(IEvent<BalancesSynced> e, IDocumentOperations ops)
    {
        var synced = e.Data;
        ops.Store(new SyncAccount { Id = synced.CredentialId, Exchange = synced.Exchange });
        ops.Store(new AccountBalances { Id = synced.CredentialId, Exchange = synced.Exchange, Balances = synced.Balances.ToList(), LastSync = synced.SyncedAt });
        foreach (var b in synced.Balances.Where(b => b.Total != 0m))
            ops.Store(new BalanceHistoryRow
            {
                Id = Guid.CreateVersion7(synced.SyncedAt),
                CredentialId = synced.CredentialId,
                Exchange = synced.Exchange,
                Currency = b.Currency,
                Free = b.Free,
                Locked = b.Locked,
                Total = b.Total,
                SyncTimestamp = synced.SyncedAt,
            });
    }

    public void Project(IEvent<TradesSynced> e, IDocumentOperations ops) =>
        ops.Store(new SyncAccount { Id = e.Data.CredentialId, Exchange = e.Data.Exchange });

    public void Project(IEvent<SyncFailed> e, IDocumentOperations ops) =>
        ops.Store(new SyncAccount { Id = e.Data.CredentialId, Exchange = e.Data.Exchange });

    public void Project(IEvent<BnbBurnChanged> e, IDocumentOperations ops) =>
        ops.Store(new SyncAccount { Id = e.Data.CredentialId, Exchange = e.Data.Exchange });
}
