using Bitcain.Sync.Account;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Bitcain.Sync.SyncStatus;

/// <summary>
/// What a portfolio app shows beside an exchange account: when it last synced, what came of it, and whether it
/// keeps failing. One document per account stream (id = credential id), kept by the async daemon.
/// </summary>
public sealed class AccountSyncStatus
{
    public Guid Id { get; set; }
    public string Exchange { get; set; } = "";
    public DateTimeOffset? LastBalanceSync { get; set; }
    public int CurrenciesSynced { get; set; }
    public DateTimeOffset? LastTradeSync { get; set; }
    public long TradesStored { get; set; }
    public long BalanceSyncs { get; set; }
    public long TradePagesStored { get; set; }
    public long Failures { get; set; }
    public int ConsecutiveFailures { get; set; }
    public SyncFailure? LastFailure { get; set; }
    /// <summary>The trade sync walking now, with how far it has come; null when none runs.</summary>
    public RunningTradeSync? RunningTradeSync { get; set; }
    /// <summary>The last event sequence this document includes: how far behind the event store it may be.</summary>
    public long CurrentThrough { get; set; }

    /// <summary>The status after one more event of the account; the input is left as it was.</summary>
    public static AccountSyncStatus Next(AccountSyncStatus? current, object @event, long sequence)
    {
        var next = current is null ? new AccountSyncStatus() : current.Copy();
        next.CurrentThrough = sequence;
        switch (@event)
        {
            case BalancesSynced b:
                next.Start(b.CredentialId, b.Exchange);
                next.LastBalanceSync = b.SyncedAt;
                next.CurrenciesSynced = b.Balances.Count(x => x.Total != 0m);
                next.BalanceSyncs++;
                next.ConsecutiveFailures = 0;
                break;
            case TradesSynced t:
                next.Start(t.CredentialId, t.Exchange);
                next.LastTradeSync = t.SyncedAt;
                next.TradesStored += t.StoredCount();
                next.TradePagesStored++;
                next.ConsecutiveFailures = 0;
                if (next.RunningTradeSync is { } page)
                    next.RunningTradeSync = page with { Pages = page.Pages + 1, TradesSoFar = page.TradesSoFar + t.StoredCount(), LastProgressAt = t.SyncedAt };
                break;
            case TradeSyncStarted r:
                next.Start(r.CredentialId, r.Exchange);
                next.RunningTradeSync = new RunningTradeSync(r.RunId, r.Symbol, r.StartedAt, r.Markets.Count, 0, 0, 0, r.StartedAt);
                break;
            case TradeSyncCheckpointed c:
                // A resumed run goes on under its first id: it runs again from its first checkpoint.
                next.RunningTradeSync = next.RunningTradeSync is { } run && run.RunId == c.RunId
                    ? run with
                    {
                        MarketsDone = run.MarketsDone + c.MarketsDone.Count, MarketsPlanned = run.MarketsPlanned + c.MarketsAdded.Count, LastProgressAt = c.At,
                    }
                    : new RunningTradeSync(c.RunId, null, c.At, c.MarketsAdded.Count, c.MarketsDone.Count, 0, 0, c.At);
                break;
            case TradeSyncFinished f:
                if (next.RunningTradeSync?.RunId == f.RunId) next.RunningTradeSync = null;
                break;
            case SyncFailed f:
                next.Start(f.CredentialId, f.Exchange);
                next.Failures++;
                next.ConsecutiveFailures++;
                next.LastFailure = new SyncFailure(f.FailedAt, f.Operation, f.ErrorType, f.Error);
                break;
            case BnbBurnChanged c:
                next.Start(c.CredentialId, c.Exchange);
                break;
        }
        return next;
    }

    private void Start(Guid account, string exchange)
    {
        Id = account;
        Exchange = exchange;
    }

    private AccountSyncStatus Copy() => (AccountSyncStatus)MemberwiseClone();
}

public sealed record SyncFailure(DateTimeOffset At, string Operation, string ErrorType, string Error);

/// <summary>A trade sync under way: markets walked of those planned (0 of 0 where the exchange's history is one walk).</summary>
public sealed record RunningTradeSync(Guid RunId, string? Symbol, DateTimeOffset StartedAt, int MarketsPlanned, int MarketsDone, int Pages,
    int TradesSoFar, DateTimeOffset LastProgressAt);

/// <summary>
/// Asynchronous on purpose: nothing waits for it, so a sync's transaction does not pay for it, and it is the
/// projection the HotCold daemon runs on exactly one instance of the sync service (with failover).
/// </summary>
public sealed class AccountSyncStatusProjection : SingleStreamProjection<AccountSyncStatus, Guid>
{
    public AccountSyncStatus Create(IEvent<BalancesSynced> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);
    public AccountSyncStatus Create(IEvent<TradesSynced> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);
    public AccountSyncStatus Create(IEvent<SyncFailed> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);
    public AccountSyncStatus Create(IEvent<BnbBurnChanged> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);
    public AccountSyncStatus Create(IEvent<TradeSyncFinished> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);
    public AccountSyncStatus Create(IEvent<TradeSyncCheckpointed> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);
    public AccountSyncStatus Create(IEvent<TradeSyncStarted> e) => AccountSyncStatus.Next(null, e.Data, e.Sequence);

    public AccountSyncStatus Apply(IEvent<BalancesSynced> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
    public AccountSyncStatus Apply(IEvent<TradesSynced> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
    public AccountSyncStatus Apply(IEvent<SyncFailed> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
    public AccountSyncStatus Apply(IEvent<BnbBurnChanged> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
    public AccountSyncStatus Apply(IEvent<TradeSyncFinished> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
    public AccountSyncStatus Apply(IEvent<TradeSyncCheckpointed> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
    public AccountSyncStatus Apply(IEvent<TradeSyncStarted> e, AccountSyncStatus current) => AccountSyncStatus.Next(current, e.Data, e.Sequence);
}
