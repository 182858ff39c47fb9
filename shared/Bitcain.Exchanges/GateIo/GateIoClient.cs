using System.Globalization;
using System.Runtime.CompilerServices;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.Paging;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.GateIo;

/// <summary>
/// Gate.io v4 spot REST under <c>/api/v4</c>: public GETs, signed GETs with KEY/Timestamp/SIGN. Gate's API reports no
/// key permissions (account/detail carries none, FACTS.md §9), so <see cref="ExchangeCapabilities.KeyPermissions"/>
/// is not claimed; it has no status call either: the clock answering is "normal".
/// </summary>
public sealed class GateIoClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    GateIoRateLimits limits,
    TimeProvider time) : IExchangeClient
{
    /// <summary>my_trades: at most 1000 per page (<c>limit</c>), paged by <c>page</c>; windows of 7 days are asked for
    /// (Gate documents from/to in seconds; the 7-day span is what its default covers).</summary>
    public const int MaxTradesPerPage = 1000;
    public static readonly TimeSpan TradeWindow = TimeSpan.FromDays(7);
    public static readonly TimeSpan HistoryDepth = TimeSpan.FromDays(365);

    private const string Prefix = "/api/v4";
    private const string PublicCounter = "ip";
    private readonly MarketsCache marketsCache = new(time, TimeSpan.FromMinutes(10));

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(GateIoParsers.ServerTime, await PublicAsync("/spot/time", null, ct));

    public Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default) =>
        ExchangeHealthChecks.ByClockAsync(time, GetServerTimeAsync, ct);

    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token => Parse(b => GateIoParsers.Markets(b, exchange.DefaultMakerFee, exchange.DefaultTakerFee),
            await PublicAsync("/spot/currency_pairs", null, token)), ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        var body = await PublicAsync("/spot/tickers", "currency_pair=" + Uri.EscapeDataString(market.ExchangeSymbol), ct);
        return Parse(b => GateIoParsers.Ticker(b, market, time.GetUtcNow()), body);
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(GateIoParsers.Balances, await PrivateAsync("/spot/accounts", "", credentials, ct));

    public Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        throw ExchangeException.Unsupported(Exchange, "key permissions");

    /// <summary>Windows of 7 days from <see cref="MyTradesQuery.Since"/> (else a year back) to the first call's moment,
    /// each paged by <c>page</c> until a page comes back short. No "from trade id" on Gate: refused.</summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        WindowedTradePager.RefuseFromTradeId(Exchange, query);
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.OrdinalIgnoreCase);
        var pair = query.Symbol is null ? null : (await MarketOfAsync(query.Symbol, ct)).ExchangeSymbol;
        var limit = Math.Clamp(query.PageSize, 1, MaxTradesPerPage);
        var walk = query.Cursor is { } resume
            ? ResumeAt(resume)
            : WindowedTradePager<int>.Begin(query.Since, time.GetUtcNow(), HistoryDepth, TradeWindow, TimeUnit.Seconds, 1);
        var pages = walk.WalkAsync(async (w, token) =>
        {
            var parameters = (pair is null ? "" : "currency_pair=" + Uri.EscapeDataString(pair) + "&")
                             + $"limit={Text(limit)}&page={Text(w.Position)}&from={Text(w.WindowStart)}&to={Text(w.WindowEnd)}";
            var trades = Parse(b => GateIoParsers.Trades(b, id => byId.GetValueOrDefault(id)), await PrivateAsync("/spot/my_trades", parameters, credentials, token));
            return (trades, trades.Count == limit ? WindowStep<int>.At(w.Position + 1) : WindowStep<int>.WindowDone);
        }, w => TradeCursor.Format(w.WindowStart, w.End, Text(w.Position)), ct);
        await foreach (var page in pages) yield return page;
    }

    private static readonly WindowCursorFormat TradeCursor = new("from", "end", "page");

    private WindowedTradePager<int> ResumeAt(string cursor) =>
        TradeCursor.TryParse(cursor, out var start, out var end, out var position) && WindowCursorFormat.TryPage(position, out var page)
            ? WindowedTradePager<int>.Resume(start, end, TradeWindow, TimeUnit.Seconds, page, 1)
            : throw WindowedTradePager.InvalidCursor(Exchange);

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct) =>
        MarketLookup.Require(Exchange, symbol, await GetMarketsAsync(ct));

    private Task<ExchangeResponse> PublicAsync(string path, string? query, CancellationToken ct) =>
        RateLimitedGet.SendAsync(transport, limits.Public, PublicCounter, 1, async token =>
        {
            var response = await transport.SendAsync(HttpMethod.Get, Prefix + path, query, null, [], token);
            return (response, GateIoErrors.Find(Exchange, response.StatusCode, response.Body, response.Header, response.RetryAfter, response.Path, time.GetUtcNow()));
        }, ct);

    private Task<ExchangeResponse> PrivateAsync(string path, string query, ExchangeApiCredentials credentials, CancellationToken ct) =>
        RateLimitedGet.SendAsync(transport, limits.Private, RateLimitedGet.KeyId(credentials), 1, async token =>
        {
            var timestamp = Text(time.GetUtcNow().ToUnixTimeSeconds());
            // Gate signs its own full path, /api/v4/..., never our base URL's prefix.
            var signature = GateIoSigner.Sign(credentials.ApiSecret, "GET", Prefix + path, query, "", timestamp);
            var response = await transport.SendAsync(HttpMethod.Get, Prefix + path, query, null,
                [new("KEY", credentials.ApiKey), new("Timestamp", timestamp), new("SIGN", signature)], token);
            return (response, GateIoErrors.Find(Exchange, response.StatusCode, response.Body, response.Header, response.RetryAfter, response.Path, time.GetUtcNow(),
                text => credentials.Scrub(text, signature)));
        }, ct);

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Gate's spot limits: 200 requests per 10 s per endpoint for private reads (per key) and for public calls
/// (per IP). Draining counters 50 + 10/s admit at most 150 in any 10 s.</summary>
public sealed class GateIoRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;
}
