using Bitcain.Sync.Account;
using Marten.Events.Aggregation;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// The account's latest trade sync as its events tell it: what it planned, what it has walked, where the exchange's
/// cursor stood, and how it ended. A sync cut short resumes from here; a second request finds the first one here.
/// Kept inline (id = credential id), so the handler that appended a checkpoint reads it back at once.
/// </summary>
public sealed class TradeSyncRun
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public string Exchange { get; set; } = "";
    public string? Symbol { get; set; }
    public DateTimeOffset? Since { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public List<string> Planned { get; set; } = [];
    public List<string> Done { get; set; } = [];
    public List<string> KnownAssets { get; set; } = [];
    public List<string> Sources { get; set; } = [];
    public string? Cursor { get; set; }
    public int Pages { get; set; }
    public int Trades { get; set; }
    public int Duplicates { get; set; }
    public DateTimeOffset LastProgressAt { get; set; }
    public bool Finished { get; set; }
    public bool Complete { get; set; }
    public string? ErrorType { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Cut short before it walked everything it planned: the next sync of the same request picks it up.</summary>
    public bool Resumable => !Complete && (Finished || Done.Count > 0 || Cursor is not null);

    public bool SameRequest(string? symbol, DateTimeOffset? since) => Symbol == symbol && Since == since;

    public static TradeSyncRun Started(TradeSyncStarted e) => new()
    {
        Id = e.CredentialId, RunId = e.RunId, Exchange = e.Exchange, Symbol = e.Symbol, Since = e.Since, StartedAt = e.StartedAt,
        Planned = [.. e.Markets], KnownAssets = [.. e.KnownAssets], Sources = [.. e.Sources], LastProgressAt = e.StartedAt,
    };

    public TradeSyncRun Checkpointed(TradeSyncCheckpointed e)
    {
        if (e.RunId != RunId) return this;
        var next = Copy();
        next.Done = [.. Done, .. e.MarketsDone.Except(Done, StringComparer.Ordinal)];
        next.Planned = [.. Planned, .. e.MarketsAdded.Except(Planned, StringComparer.Ordinal)];
        next.KnownAssets = [.. KnownAssets, .. e.AssetsAdded.Except(KnownAssets, StringComparer.Ordinal)];
        next.Cursor = e.Cursor ?? (e.MarketsDone.Count > 0 ? null : Cursor);
        next.LastProgressAt = e.At;
        next.Finished = false;
        return next;
    }

    public TradeSyncRun PageStored(TradesSynced e)
    {
        if (Finished && Complete) return this;
        var next = Copy();
        next.Pages++;
        next.Trades += e.StoredCount();
        next.Duplicates += e.Duplicates;
        next.LastProgressAt = e.SyncedAt;
        return next;
    }

    public TradeSyncRun Ended(TradeSyncFinished e)
    {
        if (e.RunId != RunId) return this;
        var next = Copy();
        next.Finished = true;
        next.Complete = e.Complete;
        next.ErrorType = e.ErrorType;
        next.Error = e.Error;
        next.FinishedAt = e.At;
        next.LastProgressAt = e.At;
        return next;
    }

    private TradeSyncRun Copy()
    {
        var copy = (TradeSyncRun)MemberwiseClone();
        copy.Planned = [.. Planned];
        copy.Done = [.. Done];
        copy.KnownAssets = [.. KnownAssets];
        copy.Sources = [.. Sources];
        return copy;
    }
}

public sealed class TradeSyncRunProjection : SingleStreamProjection<TradeSyncRun, Guid>
{
    public TradeSyncRun Create(TradeSyncStarted e) => TradeSyncRun.Started(e);
    public TradeSyncRun Apply(TradeSyncStarted e, TradeSyncRun _) => TradeSyncRun.Started(e);
    public TradeSyncRun Apply(TradeSyncCheckpointed e, TradeSyncRun current) => current.Checkpointed(e);
    public TradeSyncRun Apply(TradesSynced e, TradeSyncRun current) => current.PageStored(e);
    public TradeSyncRun Apply(TradeSyncFinished e, TradeSyncRun current) => current.Ended(e);
}
