using System.Diagnostics;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// Where one trade sync's time went, summed over its pages: waiting for the exchange's next page, the rows' <c>COPY</c>,
/// the page's event batch, the commit, and the progress message. Logged at Debug when the walk ends, so a slow sync says
/// which hop to look at without a profiler (issue #17: ingest near COPY).
/// </summary>
public sealed class TradePagePhases
{
    private long exchange, rows, events, commit, progress, copyStart, copyComplete;
    // The process's garbage collections over the walk (the whole process's, so other work shows too): a page's large
    // buffers land on the large object heap, and each full collection marks every live object of the service.
    private readonly int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
    private readonly long allocated = GC.GetTotalAllocatedBytes();
    private readonly TimeSpan paused = GC.GetTotalPauseDuration();

    public int Pages { get; private set; }

    public static long Now() => Stopwatch.GetTimestamp();

    public void Exchange(long since) => exchange += Stopwatch.GetTimestamp() - since;
    public void CopyStarted(long since) => copyStart += Stopwatch.GetTimestamp() - since;
    public void CopyCompleted(long since) => copyComplete += Stopwatch.GetTimestamp() - since;
    public void Rows(long since) => rows += Stopwatch.GetTimestamp() - since;
    public void Events(long since) => events += Stopwatch.GetTimestamp() - since;
    public void Commit(long since) => commit += Stopwatch.GetTimestamp() - since;

    public void Progress(long since)
    {
        progress += Stopwatch.GetTimestamp() - since;
        Pages++;
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public override string ToString() =>
        $"{Pages} pages: waiting for the exchange {Ms(exchange):0} ms, rows {Ms(rows):0} ms (of which starting the COPY {Ms(copyStart):0} ms, completing it {Ms(copyComplete):0} ms), events {Ms(events):0} ms, commit {Ms(commit):0} ms, progress {Ms(progress):0} ms; "
        + $"GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0} ms, "
        + $"{(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:0} MiB allocated";
}
