using System.Globalization;
using System.Runtime.CompilerServices;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.Paging;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.KuCoin;

/// <summary>KuCoin spot REST: public GETs, signed GETs with KC-API-* headers and a v2 (HMAC'd) passphrase.</summary>
public sealed class KuCoinClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    KuCoinRateLimits limits,
    TimeProvider time) : IExchangeClient
{
    /// <summary>fills: at most 500 per page, a window of at most 7 days (kucoin-api-docs "List Fills").</summary>
    public const int MaxTradesPerPage = 500;
    public static readonly TimeSpan TradeWindow = TimeSpan.FromDays(7);

    /// <summary>How far back a history without <see cref="MyTradesQuery.Since"/> is walked (unconfirmed: the 2023 docs
    /// name no retention for fills; one year bounds the walk).</summary>
    public static readonly TimeSpan HistoryDepth = TimeSpan.FromDays(365);

    private const string PublicCounter = "ip";
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(KuCoinParsers.ServerTime, await PublicAsync("/api/v1/timestamp", null, 3, ct));

    public Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default) =>
        ExchangeHealthChecks.ByStatusThenClockAsync(time,
            async token => Parse(KuCoinParsers.Status, await PublicAsync("/api/v1/status", null, 3, token)), GetServerTimeAsync, ct);

    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token => Parse(b => KuCoinParsers.Markets(b, exchange.DefaultMakerFee, exchange.DefaultTakerFee),
            await PublicAsync("/api/v2/symbols", null, 4, token)), ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        return Parse(b => KuCoinParsers.Ticker(b, market), await PublicAsync("/api/v1/market/stats", "symbol=" + Uri.EscapeDataString(market.ExchangeSymbol), 15, ct));
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(KuCoinParsers.Balances, await PrivateAsync("/api/v1/accounts", "", 5, credentials, ct));

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(KuCoinParsers.Permissions, await PrivateAsync("/api/v1/user/api-key", "", 20, credentials, ct));

    /// <summary>
    /// fills answers one window of at most 7 days, newest first, by <c>currentPage</c>. Windows are walked from
    /// <see cref="MyTradesQuery.Since"/> (inclusive; else a year back) to the moment of the first call, pinned.
    /// KuCoin has no "from trade id": <see cref="MyTradesQuery.FromTradeId"/> is refused. Each page is handed back oldest first.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        WindowedTradePager.RefuseFromTradeId(Exchange, query);
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.OrdinalIgnoreCase);
        var symbol = query.Symbol is null ? null : (await MarketOfAsync(query.Symbol, ct)).ExchangeSymbol;
        var pageSize = Math.Clamp(query.PageSize, 10, MaxTradesPerPage); // KuCoin's pageSize is 10..500

        var walk = query.Cursor is { } resume
            ? ResumeAt(resume)
            : WindowedTradePager<int>.Begin(query.Since, time.GetUtcNow(), HistoryDepth, TradeWindow, TimeUnit.Milliseconds, 1);
        var pages = walk.WalkAsync(async (w, token) =>
        {
            var parameters = $"tradeType=TRADE&pageSize={Text(pageSize)}&currentPage={Text(w.Position)}&startAt={Text(w.WindowStart)}&endAt={Text(w.WindowEnd)}"
                             + (symbol is null ? "" : "&symbol=" + Uri.EscapeDataString(symbol));
            var (trades, current, totalPages) = Parse(b => KuCoinParsers.Fills(b, id => byId.GetValueOrDefault(id)),
                await PrivateAsync("/api/v1/fills", parameters, 10, credentials, token));
            return (trades, trades.Count > 0 && current < totalPages ? WindowStep<int>.At(current + 1) : WindowStep<int>.WindowDone);
        }, w => TradeCursor.Format(w.WindowStart, w.End, Text(w.Position)), ct);
        await foreach (var page in pages) yield return page;
    }

    private static readonly WindowCursorFormat TradeCursor = new("w", "end", "p");

    private WindowedTradePager<int> ResumeAt(string cursor) =>
        TradeCursor.TryParse(cursor, out var start, out var end, out var position) && WindowCursorFormat.TryPage(position, out var page)
            ? WindowedTradePager<int>.Resume(start, end, TradeWindow, TimeUnit.Milliseconds, page, 1)
            : throw WindowedTradePager.InvalidCursor(Exchange);

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct) =>
        MarketLookup.Require(Exchange, symbol, await GetMarketsAsync(ct));

    private Task<ExchangeResponse> PublicAsync(string path, string? query, int weight, CancellationToken ct) =>
        RateLimitedGet.SendAsync(transport, limits.Public, PublicCounter, weight, async token =>
        {
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [], token);
            return (response, KuCoinErrors.Find(Exchange, response.StatusCode, response.Body, response.Header, response.RetryAfter, path));
        }, ct);

    private async Task<ExchangeResponse> PrivateAsync(string path, string query, int weight, ExchangeApiCredentials credentials, CancellationToken ct)
    {
        RateLimitedGet.RequirePassphrase(Exchange, credentials);
        var endpoint = query.Length == 0 ? path : $"{path}?{query}";
        // v2 keys send the passphrase HMAC'd with the secret, never in clear.
        var passphrase = KuCoinSigner.Passphrase(credentials.ApiSecret, credentials.Passphrase!);
        return await RateLimitedGet.SendAsync(transport, limits.Private, RateLimitedGet.KeyId(credentials), weight, async token =>
        {
            var timestamp = Text(time.GetUtcNow().ToUnixTimeMilliseconds());
            var signature = KuCoinSigner.Sign(credentials.ApiSecret, timestamp, "GET", endpoint, "");
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null,
                [new("KC-API-KEY", credentials.ApiKey), new("KC-API-SIGN", signature), new("KC-API-TIMESTAMP", timestamp),
                 new("KC-API-PASSPHRASE", passphrase), new("KC-API-KEY-VERSION", "2")], token);
            return (response, KuCoinErrors.Find(Exchange, response.StatusCode, response.Body, response.Header, response.RetryAfter, path,
                text => credentials.Scrub(text, signature, passphrase)));
        }, ct);
    }

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// KuCoin's resource pools (kucoin-api-docs "Rate Limit", VIP0): spot private 4000 weight per 30 s per UID, public
/// 2000 per 30 s per IP; each call weighs its documented amount (accounts 5, fills 10, api-key 20; symbols 4,
/// stats 15, time/status 3). Draining counters admit max + rate×30 s in a window, so both stay at half the pool.
/// </summary>
public sealed class KuCoinRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;
}
