using System.Globalization;
using System.Runtime.CompilerServices;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.Paging;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Bybit;

/// <summary>Bybit v5 REST, spot category: public GETs under <c>/v5/market</c>, signed GETs with X-BAPI-* headers.</summary>
public sealed class BybitClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    BybitRateLimits limits,
    TimeProvider time) : IExchangeClient
{
    /// <summary>execution/list: at most 100 per page and a 7-day window per query (docs/v5/order/execution.mdx).</summary>
    public const int MaxTradesPerPage = 100;
    public static readonly TimeSpan TradeWindow = TimeSpan.FromDays(7);

    /// <summary>How far back a history without <see cref="MyTradesQuery.Since"/> is walked: Bybit keeps two years of executions.</summary>
    public static readonly TimeSpan HistoryDepth = TimeSpan.FromDays(730);

    private const string PublicCounter = "ip";
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(BybitParsers.ServerTime, await PublicAsync("/v5/market/time", null, ct));

    /// <summary>Bybit publishes no spot system-status call in v5's market group; the clock answering is "normal",
    /// an unavailable answer (5xx, server error codes) is "maintenance".</summary>
    public Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default) =>
        ExchangeHealthChecks.ByClockAsync(time, GetServerTimeAsync, ct);

    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token =>
        {
            var markets = new List<Market>();
            string? cursor = null;
            do
            {
                var query = "category=spot&limit=1000" + (cursor is null ? "" : "&cursor=" + CursorParameter(cursor));
                var body = await PublicAsync("/v5/market/instruments-info", query, token);
                var (page, next) = Parse(b => BybitParsers.Markets(b, exchange.DefaultMakerFee, exchange.DefaultTakerFee), body);
                markets.AddRange(page);
                cursor = page.Count > 0 ? next : null;
            } while (cursor is not null);
            return (IReadOnlyList<Market>)markets;
        }, ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        var body = await PublicAsync("/v5/market/tickers", "category=spot&symbol=" + Uri.EscapeDataString(market.ExchangeSymbol), ct);
        return Parse(b => BybitParsers.Ticker(b, market), body);
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(BybitParsers.Balances, await PrivateAsync("/v5/account/wallet-balance", "accountType=UNIFIED", credentials, ct));

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(BybitParsers.Permissions, await PrivateAsync("/v5/user/query-api", "", credentials, ct));

    /// <summary>
    /// execution/list answers one 7-day window at a time, newest first, paged by <c>cursor</c>. The windows are walked
    /// from <see cref="MyTradesQuery.Since"/> (inclusive; else two years back) up to the moment of the first call,
    /// which is pinned so trades made meanwhile cannot shift pages. Each page is handed back oldest first.
    /// Bybit has no "from trade id": <see cref="MyTradesQuery.FromTradeId"/> is refused.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        WindowedTradePager.RefuseFromTradeId(Exchange, query);
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.OrdinalIgnoreCase);
        var symbol = query.Symbol is null ? null : (await MarketOfAsync(query.Symbol, ct)).ExchangeSymbol;
        var limit = Math.Clamp(query.PageSize, 1, MaxTradesPerPage);

        var walk = query.Cursor is { } resume
            ? ResumeAt(resume)
            : WindowedTradePager<string?>.Begin(query.Since, time.GetUtcNow(), HistoryDepth, TradeWindow, TimeUnit.Milliseconds, null);
        var pages = walk.WalkAsync(async (w, token) =>
        {
            var parameters = $"category=spot&limit={Text(limit)}&startTime={Text(w.WindowStart)}&endTime={Text(w.WindowEnd)}"
                             + (symbol is null ? "" : "&symbol=" + Uri.EscapeDataString(symbol))
                             + (w.Position is null ? "" : "&cursor=" + CursorParameter(w.Position));
            var (trades, next) = Parse(b => BybitParsers.Executions(b, id => byId.GetValueOrDefault(id)),
                await PrivateAsync("/v5/execution/list", parameters, credentials, token));
            return (trades, trades.Count > 0 && next is not null ? WindowStep<string?>.At(next) : WindowStep<string?>.WindowDone);
        }, w => TradeCursor.Format(w.WindowStart, w.End, w.Position), ct);
        await foreach (var page in pages) yield return page;
    }

    /// <summary>Bybit hands its cursor back already URL-encoded (<c>132766%3A2%2C...</c>); it is sent encoded exactly once.</summary>
    private static string CursorParameter(string cursor) => Uri.EscapeDataString(Uri.UnescapeDataString(cursor));

    private static readonly WindowCursorFormat TradeCursor = new("w", "end", "c");

    private WindowedTradePager<string?> ResumeAt(string cursor) =>
        TradeCursor.TryParse(cursor, out var start, out var end, out var position)
            ? WindowedTradePager<string?>.Resume(start, end, TradeWindow, TimeUnit.Milliseconds, position.Length == 0 ? null : position, null)
            : throw WindowedTradePager.InvalidCursor(Exchange);

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct) =>
        MarketLookup.Require(Exchange, symbol, await GetMarketsAsync(ct));

    private Task<ExchangeResponse> PublicAsync(string path, string? query, CancellationToken ct) =>
        RateLimitedGet.SendAsync(transport, limits.Public, PublicCounter, 1, async token =>
        {
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [], token);
            return (response, BybitErrors.Find(Exchange, response.StatusCode, response.Body, response.Header, response.RetryAfter, path, time.GetUtcNow()));
        }, ct);

    /// <summary>Each attempt is signed afresh: the timestamp must fall inside the receive window when Bybit reads it.</summary>
    private Task<ExchangeResponse> PrivateAsync(string path, string query, ExchangeApiCredentials credentials, CancellationToken ct)
    {
        var recvWindow = Text(transport.Options.RecvWindowMs);
        return RateLimitedGet.SendAsync(transport, limits.Private, RateLimitedGet.KeyId(credentials), 1, async token =>
        {
            var timestamp = Text(time.GetUtcNow().ToUnixTimeMilliseconds());
            var signature = BybitSigner.Sign(credentials.ApiSecret, timestamp, credentials.ApiKey, recvWindow, query);
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null,
                [new("X-BAPI-API-KEY", credentials.ApiKey), new("X-BAPI-TIMESTAMP", timestamp), new("X-BAPI-RECV-WINDOW", recvWindow),
                 new("X-BAPI-SIGN", signature)], token);
            return (response, BybitErrors.Find(Exchange, response.StatusCode, response.Body, response.Header, response.RetryAfter, path,
                time.GetUtcNow(), text => credentials.Scrub(text, signature)));
        }, ct);
    }

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Bybit's limits (docs/v5/rate-limit): 600 requests per 5 s per IP for everything, and per UID per endpoint for
/// private calls (10 per second for the account and execution calls on the lowest tier). Both are kept as
/// draining counters sized so that no one-second (five-second) window can exceed them; an answer that says otherwise wins (<see cref="DecayingCallCounter.BackOff"/>).
/// </summary>
public sealed class BybitRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;
}
