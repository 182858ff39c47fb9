using Bitcain.Exchanges.Paging;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class WindowedTradePagerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>A history spread over 60 days, one trade every 7 hours: several per window, some windows paged.</summary>
    private static readonly List<Trade> History = Enumerable.Range(0, 200)
        .Select(i => new Trade($"t{i}", null, "BTC/USDT", "BTCUSDT", TradeSide.Buy, 1m, 1m, 1m, null, null,
            Now.AddDays(-60).AddHours(7 * i), null))
        .Where(t => t.Timestamp <= Now)
        .ToList();

    /// <summary>An exchange that answers one window newest first, <paramref name="limit"/> per page by page number.</summary>
    private static Func<WindowedTradePager<int>, CancellationToken, Task<(IReadOnlyList<Trade>, WindowStep<int>)>> PagedExchange(
        int limit, List<(long From, long To, int Page)> calls) => (w, _) =>
    {
        calls.Add((w.WindowStart, w.WindowEnd, w.Position));
        var inWindow = History.Where(t => t.Timestamp.ToUnixTimeMilliseconds() >= w.WindowStart && t.Timestamp.ToUnixTimeMilliseconds() <= w.WindowEnd)
            .OrderByDescending(t => t.Timestamp).Skip((w.Position - 1) * limit).Take(limit).ToList();
        return Task.FromResult<(IReadOnlyList<Trade>, WindowStep<int>)>(
            (inWindow, inWindow.Count == limit ? WindowStep<int>.At(w.Position + 1) : WindowStep<int>.WindowDone));
    };

    private static readonly WindowCursorFormat Format = new("w", "end", "p");

    private static string CursorOf(WindowedTradePager<int> w) => Format.Format(w.WindowStart, w.End, w.Position.ToString());

    [Fact]
    public void a_walk_begins_at_since_or_the_history_depth_and_ends_at_the_moment_it_began()
    {
        var fromSince = WindowedTradePager<int>.Begin(Now.AddDays(-10), Now, TimeSpan.FromDays(365), Week, TimeUnit.Milliseconds, 1);
        fromSince.WindowStart.ShouldBe(Now.AddDays(-10).ToUnixTimeMilliseconds());
        fromSince.End.ShouldBe(Now.ToUnixTimeMilliseconds());
        fromSince.WindowEnd.ShouldBe(fromSince.WindowStart + (long)Week.TotalMilliseconds - 1);

        var deep = WindowedTradePager<int>.Begin(null, Now, TimeSpan.FromDays(365), Week, TimeUnit.Seconds, 1);
        deep.WindowStart.ShouldBe(Now.AddDays(-365).ToUnixTimeSeconds());
        deep.End.ShouldBe(Now.ToUnixTimeSeconds());
        deep.WindowLength.ShouldBe(7 * 86_400);
    }

    [Fact]
    public void windows_follow_each_other_without_gap_or_overlap_and_the_last_stops_at_the_end()
    {
        var walk = WindowedTradePager<string?>.Begin(Now.AddDays(-20), Now, TimeSpan.FromDays(730), Week, TimeUnit.Milliseconds, null);
        var windows = new List<(long From, long To)>();
        while (!walk.Done)
        {
            windows.Add((walk.WindowStart, walk.WindowEnd));
            walk = walk.After(WindowStep<string?>.WindowDone);
        }
        windows.Count.ShouldBe(3);
        windows[0].From.ShouldBe(Now.AddDays(-20).ToUnixTimeMilliseconds());
        for (var i = 1; i < windows.Count; i++) windows[i].From.ShouldBe(windows[i - 1].To + 1);
        windows[^1].To.ShouldBe(Now.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void a_page_with_more_stays_in_its_window_and_a_finished_window_starts_the_next_at_its_first_position()
    {
        var walk = WindowedTradePager<int>.Begin(Now.AddDays(-20), Now, TimeSpan.FromDays(365), Week, TimeUnit.Milliseconds, 1);
        var second = walk.After(WindowStep<int>.At(2));
        second.WindowStart.ShouldBe(walk.WindowStart);
        second.Position.ShouldBe(2);
        var next = second.After(WindowStep<int>.WindowDone);
        next.WindowStart.ShouldBe(walk.WindowEnd + 1);
        next.Position.ShouldBe(1);
    }

    [Fact]
    public async Task walking_hands_back_every_trade_once_oldest_first_per_page_and_the_last_page_has_no_cursor()
    {
        var calls = new List<(long From, long To, int Page)>();
        var walk = WindowedTradePager<int>.Begin(null, Now, TimeSpan.FromDays(90), Week, TimeUnit.Milliseconds, 1);

        var pages = new List<TradePage>();
        await foreach (var page in walk.WalkAsync(PagedExchange(10, calls), CursorOf)) pages.Add(page);

        pages.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(History.Select(t => t.Id), ignoreOrder: true);
        pages.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBeUnique();
        pages.ShouldAllBe(p => p.Trades.SequenceEqual(p.Trades.OrderBy(t => t.Timestamp)));
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.NextCursor != null);
        pages[^1].NextCursor.ShouldBeNull();
        calls.ShouldContain(c => c.Page == 3, "a week holds 24 trades: three pages of 10");
    }

    [Fact]
    public async Task a_walk_resumed_from_a_cursor_fetches_exactly_what_was_left()
    {
        var walk = WindowedTradePager<int>.Begin(null, Now, TimeSpan.FromDays(90), Week, TimeUnit.Milliseconds, 1);
        var first = new List<TradePage>();
        await foreach (var page in walk.WalkAsync(PagedExchange(10, []), CursorOf))
        {
            first.Add(page);
            if (first.Count == 9) break;
        }

        Format.TryParse(first[^1].NextCursor!, out var start, out var end, out var position).ShouldBeTrue();
        WindowCursorFormat.TryPage(position, out var pageNumber).ShouldBeTrue();
        var resumed = WindowedTradePager<int>.Resume(start, end, Week, TimeUnit.Milliseconds, pageNumber, 1);
        var rest = new List<TradePage>();
        await foreach (var page in resumed.WalkAsync(PagedExchange(10, []), CursorOf)) rest.Add(page);

        first.Concat(rest).SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(History.Select(t => t.Id), ignoreOrder: true);
        first.Concat(rest).SelectMany(p => p.Trades).Select(t => t.Id).ShouldBeUnique();
    }

    [Theory]
    [InlineData("w:1:end:2:p:3", true, "3")]
    [InlineData("w:1:end:2:c:", false, "")]
    [InlineData("w:1:end:2:p:a:b", true, "a:b")]
    [InlineData("w:-1:end:2:p:3", false, "")]
    [InlineData("w:1:end:2", false, "")]
    public void a_cursor_is_read_only_in_its_own_format_and_its_position_may_hold_colons(string cursor, bool valid, string position)
    {
        Format.TryParse(cursor, out var start, out var end, out var read).ShouldBe(valid);
        if (!valid) return;
        (start, end, read).ShouldBe((1L, 2L, position));
        Format.Format(start, end, read).ShouldBe(cursor);
    }

    [Fact]
    public void a_from_trade_id_is_refused_as_an_invalid_request()
    {
        var refused = Should.Throw<ExchangeException>(() => WindowedTradePager.RefuseFromTradeId("bybit", new MyTradesQuery(FromTradeId: "42")));
        refused.ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
        WindowedTradePager.RefuseFromTradeId("bybit", new MyTradesQuery());
    }
}
