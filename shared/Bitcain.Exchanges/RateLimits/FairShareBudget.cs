namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// A budget that the owners of the calls waiting for it (<see cref="ExchangeCallShare.Current"/>) share fairly. While
/// nobody waits a call that fits is let through at once. Once calls wait, they are served by start-time fair queuing:
/// each waiter is tagged with its owner's virtual finish time (the owner's previous tag or the queue's current virtual
/// time, whichever is later, plus the call's cost), and the lowest tag goes next. So N owners that keep calls waiting
/// each get about 1/N of the budget, by cost rather than by count; an owner alone gets all of it; calls made for nobody
/// in particular are one more owner; and within an owner calls keep their order. An owner that queued many calls
/// (a first sync) does not push back one that arrives later: the newcomer's tags start at the current virtual time.
/// </summary>
/// <remarks>
/// The head always waits for room even when a cheaper call behind it would fit: otherwise a costly call (Binance's
/// weight-20 trade pages) could wait forever behind a stream of cheap ones.
/// </remarks>
public abstract class FairShareBudget
{
    // Dictionary keys cannot be null; no owner key a service makes starts with NUL.
    private const string Nobody = "\0nobody";

    private readonly TimeProvider time;
    private readonly Dictionary<string, Owner> owners = new(StringComparer.Ordinal);
    private ITimer? wakeUp;
    private double virtualTime;
    private long arrivals;
    private int waiting;

    protected FairShareBudget(TimeProvider time) => this.time = time;

    /// <summary>Held while the budget's own state changes, so that it and the queue stay consistent.</summary>
    protected Lock Gate { get; } = new();

    protected TimeProvider Time => time;

    /// <summary>Tags of this budget's waits in the metrics: the exchange and the budget's type (<c>request_weight</c>, ...).</summary>
    public string? Exchange { get; init; }
    public string? Budget { get; init; }

    /// <summary>How many calls wait for room, across all owners.</summary>
    public int Waiting
    {
        get { lock (Gate) return waiting; }
    }

    /// <summary>Takes <paramref name="cost"/> when the budget has room now; otherwise how long until it may have (always positive).</summary>
    protected abstract TimeSpan? TryTake(int cost, DateTimeOffset now);

    public async ValueTask AcquireAsync(int cost, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Waiter waiter;
        var queued = time.GetTimestamp();
        lock (Gate)
        {
            var now = time.GetUtcNow();
            if (waiting == 0 && TryTake(cost, now) is null) return;
            waiter = Enqueue(ExchangeCallShare.Current ?? Nobody, cost);
            Serve(now);
        }
        await using var _ = ct.Register(static (w, token) => ((Waiter)w!).Budget.Cancel((Waiter)w, token), waiter);
        await waiter.Granted.Task.ConfigureAwait(false);
        // Only calls that queued are measured: the share of calls that waited is the histogram's count over the calls'.
        Telemetry.ExchangeMetrics.RecordBudgetWait(Exchange, Budget, time.GetElapsedTime(queued));
    }

    // The wake-up timer's: the head's wait has passed, or a back-off moved it and the head waits on.
    private void Reconsider()
    {
        lock (Gate) Serve(time.GetUtcNow());
    }

    private Waiter Enqueue(string ownerKey, int cost)
    {
        if (!owners.TryGetValue(ownerKey, out var owner)) owners[ownerKey] = owner = new Owner { LastFinish = virtualTime };
        var start = Math.Max(virtualTime, owner.LastFinish);
        var waiter = new Waiter(this, owner, cost, start, start + cost, arrivals++);
        owner.LastFinish = waiter.Finish;
        waiter.Node = owner.Queue.AddLast(waiter);
        waiting++;
        return waiter;
    }

    private void Serve(DateTimeOffset now)
    {
        while (Next() is { } head)
        {
            if (TryTake(head.Cost, now) is { } wait)
            {
                Forget();
                Wake(wait);
                return;
            }
            Remove(head);
            virtualTime = Math.Max(virtualTime, head.Start);
            head.Granted.TrySetResult();
        }
        Forget();
        wakeUp?.Dispose();
        wakeUp = null;
    }

    private Waiter? Next()
    {
        Waiter? next = null;
        foreach (var owner in owners.Values)
        {
            if (owner.Queue.First?.Value is not { } head) continue;
            if (next is null || head.Finish < next.Finish || (head.Finish == next.Finish && head.Arrival < next.Arrival)) next = head;
        }
        return next;
    }

    private void Remove(Waiter waiter)
    {
        waiter.Owner.Queue.Remove(waiter.Node!);
        waiter.Node = null;
        waiting--;
    }

    // An owner with nothing waiting whose tags are all behind the virtual time has no history that still matters:
    // its next call would start at the virtual time anyway. Dropping it keeps the table as small as the queue.
    private void Forget()
    {
        foreach (var (key, owner) in owners)
            if (owner.Queue.Count == 0 && owner.LastFinish <= virtualTime) owners.Remove(key);
    }

    private void Wake(TimeSpan after)
    {
        if (wakeUp is null) wakeUp = time.CreateTimer(static b => ((FairShareBudget)b!).Reconsider(), this, after, Timeout.InfiniteTimeSpan);
        else wakeUp.Change(after, Timeout.InfiniteTimeSpan);
    }

    private void Cancel(Waiter waiter, CancellationToken ct)
    {
        lock (Gate)
        {
            if (waiter.Node is null) return; // granted already: the caller has its budget and goes on
            var later = waiter.Node.Next;
            Remove(waiter);
            // The owner's later calls move up into the place it held, so a cancelled call costs its owner no share.
            for (; later is not null; later = later.Next)
            {
                later.Value.Start -= waiter.Cost;
                later.Value.Finish -= waiter.Cost;
            }
            waiter.Owner.LastFinish -= waiter.Cost;
            Serve(time.GetUtcNow());
        }
        waiter.Granted.TrySetCanceled(ct);
    }

    private sealed class Owner
    {
        public readonly LinkedList<Waiter> Queue = new();
        public double LastFinish;
    }

    private sealed class Waiter(FairShareBudget budget, Owner owner, int cost, double start, double finish, long arrival)
    {
        public FairShareBudget Budget { get; } = budget;
        public Owner Owner { get; } = owner;
        public int Cost { get; } = cost;
        public double Start { get; set; } = start;
        public double Finish { get; set; } = finish;
        public long Arrival { get; } = arrival;
        public LinkedListNode<Waiter>? Node { get; set; }

        // Completed under the budget's lock: continuations must not run there.
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
