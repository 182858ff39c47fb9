using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bitcain.Contracts.Market;

namespace Bitcain.Gateway.Api;

/// <summary>
/// Public tickers, kept in the gateway for a moment so that a burst of readers of one market costs one call to the
/// market service. A ticker is kept at most the hold (1 s) after it came, and never past
/// <see cref="FreshFor"/> after its own timestamp: the market service keeps tickers 2 s, and the gateway never
/// answers one that the market service would have refreshed by then. Failures are not kept. Per exchange and symbol as
/// asked, at most <see cref="MaxEntries"/> of them. <c>Gateway:TickerHoldSeconds</c> (default 1) sets the hold; 0 turns it off.
/// </summary>
public sealed class TickerShortCache(TimeProvider time, GatewayOptions options)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultHold = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _hold = TimeSpan.FromSeconds(Math.Clamp(options.TickerHoldSeconds, 0, FreshFor.TotalSeconds));
    public const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<(string Exchange, string Symbol), (TickerInfo Ticker, DateTimeOffset Until)> _tickers = new();

    private static readonly Counter<long> Lookups = new Meter(CommandMetrics.MeterName).CreateCounter<long>(
        "bitcain.gateway.ticker_hold.lookups", "{lookup}", "Tickers asked of the gateway, by exchange and outcome: hit (answered from its hold) or miss (asked of the market service)");

    public int Count => _tickers.Count;

    public TickerInfo? Find(string exchange, string symbol)
    {
        var ticker = _tickers.TryGetValue((exchange, symbol), out var kept) && kept.Until > time.GetUtcNow() ? kept.Ticker : null;
        Lookups.Add(1, new KeyValuePair<string, object?>("exchange", exchange), new KeyValuePair<string, object?>("outcome", ticker is null ? "miss" : "hit"));
        return ticker;
    }

    public void Keep(string exchange, string symbol, TickerInfo ticker)
    {
        var now = time.GetUtcNow();
        var until = Until(ticker.Timestamp, now, _hold);
        if (until <= now) return;
        if (_tickers.Count >= MaxEntries)
        {
            foreach (var (key, kept) in _tickers)
                if (kept.Until <= now) _tickers.TryRemove(key, out _);
            // Still full of live entries: symbols as asked are the caller's to choose; start over rather than grow.
            if (_tickers.Count >= MaxEntries) _tickers.Clear();
        }
        _tickers[(exchange, symbol)] = (ticker, until);
    }

    /// <summary>When a ticker received <paramref name="now"/> stops being served from here: a pure function of the two times.</summary>
    public static DateTimeOffset Until(DateTimeOffset tickerTimestamp, DateTimeOffset now, TimeSpan hold)
    {
        var byAge = tickerTimestamp + FreshFor;
        var byHold = now + hold;
        return byAge < byHold ? byAge : byHold;
    }
}
