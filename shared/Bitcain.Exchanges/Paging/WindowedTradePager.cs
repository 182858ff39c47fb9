using System.Globalization;

namespace Bitcain.Exchanges.Paging;

/// <summary>
/// Where a walk through an exchange's trade history stands when the exchange answers one time window at a time
/// (Bybit, KuCoin, Gate.io: 7 days) and pages inside each window: the window's start, the pinned end of the whole
/// walk, and the position inside the window (a cursor, a page number). Pure: times are in the exchange's own unit
/// (milliseconds or seconds) and the clock is passed in.
/// </summary>
public sealed record WindowedTradePager<TPosition>(long WindowStart, long End, long WindowLength, TPosition Position, TPosition FirstPosition)
{
    /// <summary>Windows from <paramref name="since"/> (inclusive; else <paramref name="depth"/> back) to <paramref name="now"/>,
    /// which is pinned so trades made meanwhile cannot shift pages.</summary>
    public static WindowedTradePager<TPosition> Begin(
        DateTimeOffset? since, DateTimeOffset now, TimeSpan depth, TimeSpan window, TimeUnit unit, TPosition first) =>
        new(unit.Of(since ?? now - depth), unit.Of(now), unit.Length(window), first, first);

    /// <summary>Resumes a walk from a cursor's parts; the window length is the exchange's.</summary>
    public static WindowedTradePager<TPosition> Resume(long windowStart, long end, TimeSpan window, TimeUnit unit, TPosition position, TPosition first) =>
        new(windowStart, end, unit.Length(window), position, first);

    /// <summary>The current window's last instant, inclusive.</summary>
    public long WindowEnd => Math.Min(WindowStart + WindowLength - 1, End);

    public bool Done => WindowStart > End;

    /// <summary>After a page: stay in the window at <paramref name="next"/>, or (null) move to the next window's first position.</summary>
    public WindowedTradePager<TPosition> After(WindowStep<TPosition> next) =>
        next.MoreInWindow ? this with { Position = next.Next } : this with { WindowStart = WindowEnd + 1, Position = FirstPosition };

    /// <summary>Walks the windows, asking <paramref name="fetch"/> for each page, and hands each page back oldest first
    /// with a cursor (from <paramref name="cursorOf"/>) while there is more.</summary>
    public async IAsyncEnumerable<TradePage> WalkAsync(
        Func<WindowedTradePager<TPosition>, CancellationToken, Task<(IReadOnlyList<Trade> Trades, WindowStep<TPosition> Next)>> fetch,
        Func<WindowedTradePager<TPosition>, string> cursorOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var walk = this;
        while (!walk.Done)
        {
            var (trades, next) = await fetch(walk, ct);
            walk = walk.After(next);
            var more = !walk.Done;
            yield return new TradePage(trades.OrderBy(t => t.Timestamp).ToList(), more ? cursorOf(walk) : null);
            if (!more) yield break;
        }
    }
}

/// <summary>What a page said about its window: more pages at <see cref="Next"/>, or the window is done.</summary>
public readonly record struct WindowStep<TPosition>(bool MoreInWindow, TPosition Next)
{
    public static WindowStep<TPosition> WindowDone => new(false, default!);

    public static WindowStep<TPosition> At(TPosition next) => new(true, next);
}

/// <summary>The unit an exchange counts its window bounds in.</summary>
public enum TimeUnit { Milliseconds, Seconds }

public static class TimeUnits
{
    public static long Of(this TimeUnit unit, DateTimeOffset at) =>
        unit == TimeUnit.Milliseconds ? at.ToUnixTimeMilliseconds() : at.ToUnixTimeSeconds();

    public static long Length(this TimeUnit unit, TimeSpan span) =>
        (long)(unit == TimeUnit.Milliseconds ? span.TotalMilliseconds : span.TotalSeconds);
}

/// <summary>
/// A windowed walk's resume cursor, <c>{start}:{s}:{end}:{e}:{position}:{p}</c> with each exchange's own three labels
/// (kept as the clients first wrote them, so cursors handed out earlier still resume).
/// </summary>
public sealed record WindowCursorFormat(string StartLabel, string EndLabel, string PositionLabel)
{
    public string Format(long start, long end, string? position) =>
        $"{StartLabel}:{Text(start)}:{EndLabel}:{Text(end)}:{PositionLabel}:{position}";

    /// <summary>The parts of a cursor of this format; the position is everything after its label (it may hold colons).</summary>
    public bool TryParse(string cursor, out long start, out long end, out string position)
    {
        (start, end, position) = (0, 0, "");
        var parts = cursor.Split(':', 6);
        if (parts is not [var s, var w, var e, var n, var p, var rest] || s != StartLabel || e != EndLabel || p != PositionLabel)
            return false;
        position = rest;
        return long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out start)
               && long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out end);
    }

    /// <summary>A page-number position (1 or more), as KuCoin and Gate.io page inside a window.</summary>
    public static bool TryPage(string position, out int page) =>
        int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1;

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

public static class WindowedTradePager
{
    /// <summary>Exchanges paged by time have no "from trade id": a query asking for one is refused before any call.</summary>
    public static void RefuseFromTradeId(string exchange, MyTradesQuery query)
    {
        if (query.FromTradeId is not null)
            throw new ExchangeException(exchange, ExchangeErrorType.InvalidRequest, $"{exchange}: trades are paged by time; a from-trade id is not supported", "unsupported_from_id");
    }

    public static ExchangeException InvalidCursor(string exchange) =>
        new(exchange, ExchangeErrorType.InvalidRequest, $"{exchange}: not a trade cursor of this exchange", "invalid_cursor");
}
