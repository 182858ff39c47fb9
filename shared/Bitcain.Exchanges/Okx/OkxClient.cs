using System.Runtime.CompilerServices;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Okx;

/// <summary>OKX v5 REST, spot: public GETs under <c>/api/v5/public|market|system</c>, signed GETs with OK-ACCESS-* headers.</summary>
public sealed class OkxClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    OkxRateLimits limits,
    TimeProvider time) : IExchangeClient
{
    /// <summary>fills-history: at most 100 per page, newest first, the last three months.</summary>
    public const int MaxTradesPerPage = 100;

    private const string PublicCounter = "ip";
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(OkxParsers.ServerTime, await PublicAsync("/api/v5/public/time", null, ct));

    /// <summary>system/status first (an ongoing maintenance event), timed; then the clock, which may not answer in maintenance.</summary>
    public Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default) =>
        ExchangeHealthChecks.ByStatusThenClockAsync(time,
            async token => Parse(OkxParsers.SystemStatus, await PublicAsync("/api/v5/system/status", null, token)), GetServerTimeAsync, ct);

    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token => Parse(b => OkxParsers.Markets(b, exchange.DefaultMakerFee, exchange.DefaultTakerFee),
            await PublicAsync("/api/v5/public/instruments", "instType=SPOT", token)), ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        return Parse(b => OkxParsers.Ticker(b, market), await PublicAsync("/api/v5/market/ticker", "instId=" + Uri.EscapeDataString(market.ExchangeSymbol), ct));
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(OkxParsers.Balances, await PrivateAsync("/api/v5/account/balance", "", credentials, ct));

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(OkxParsers.Permissions, await PrivateAsync("/api/v5/account/config", "", credentials, ct));

    /// <summary>
    /// fills-history pages newest first: each next page asks <c>after</c> the last page's oldest billId, until a page
    /// comes back short. <see cref="MyTradesQuery.Since"/> is <c>begin</c> (ms). OKX keeps three months here; it has
    /// no "from trade id", so <see cref="MyTradesQuery.FromTradeId"/> is refused. Each page is handed back oldest first.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (query.FromTradeId is not null)
            throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: trades are paged by bill id; a from-trade id is not supported", "unsupported_from_id");
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.OrdinalIgnoreCase);
        var instId = query.Symbol is null ? null : (await MarketOfAsync(query.Symbol, ct)).ExchangeSymbol;
        var limit = Math.Clamp(query.PageSize, 1, MaxTradesPerPage);
        var begin = query.Since?.ToUnixTimeMilliseconds();
        var after = query.Cursor is { } cursor ? ResumeAt(cursor) : null;
        while (true)
        {
            var parameters = $"instType=SPOT&limit={OkxErrors.Text(limit)}"
                             + (instId is null ? "" : "&instId=" + Uri.EscapeDataString(instId))
                             + (begin is null ? "" : "&begin=" + OkxErrors.Text(begin.Value))
                             + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            var fills = Parse(b => OkxParsers.Fills(b, id => byId.GetValueOrDefault(id)),
                await PrivateAsync("/api/v5/trade/fills-history", parameters, credentials, ct));
            var more = fills.Count == limit;
            after = more ? fills[^1].BillId : null;
            yield return new TradePage(fills.Select(f => f.Trade).OrderBy(t => t.Timestamp).ToList(), more ? "after:" + after : null);
            if (!more) yield break;
        }
    }

    private string ResumeAt(string cursor) =>
        cursor.StartsWith("after:", StringComparison.Ordinal) && cursor.Length > 6 && cursor[6..].All(char.IsAsciiDigit)
            ? cursor[6..]
            : throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: not a trade cursor of this exchange", "invalid_cursor");

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct) =>
        MarketLookup.Require(Exchange, symbol, await GetMarketsAsync(ct));

    private Task<ExchangeResponse> PublicAsync(string path, string? query, CancellationToken ct) =>
        RateLimitedGet.SendAsync(transport, limits.Public, PublicCounter, 1, async token =>
        {
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [], token);
            return (response, OkxErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path));
        }, ct);

    private async Task<ExchangeResponse> PrivateAsync(string path, string query, ExchangeApiCredentials credentials, CancellationToken ct)
    {
        RateLimitedGet.RequirePassphrase(Exchange, credentials);
        // The signature covers the request path as OKX sees it (/api/v5/...), never our base URL's prefix.
        var requestPath = query.Length == 0 ? path : $"{path}?{query}";
        return await RateLimitedGet.SendAsync(transport, limits.Private, RateLimitedGet.KeyId(credentials), 1, async token =>
        {
            var timestamp = OkxSigner.Timestamp(time.GetUtcNow());
            var signature = OkxSigner.Sign(credentials.ApiSecret, timestamp, "GET", requestPath, "");
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null,
                [new("OK-ACCESS-KEY", credentials.ApiKey), new("OK-ACCESS-SIGN", signature), new("OK-ACCESS-TIMESTAMP", timestamp),
                 new("OK-ACCESS-PASSPHRASE", credentials.Passphrase!)], token);
            return (response, OkxErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path, text => credentials.Scrub(text, signature)));
        }, ct);
    }

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);
}

/// <summary>
/// OKX limits per 2 s: account/balance and fills-history 10 per user ID, account/config 5, public instruments and
/// ticker 20 per IP. Draining counters admit max + rate in a window, so: private 3 + 1/s (≤ 5 per 2 s), public 10 + 5/s.
/// </summary>
public sealed class OkxRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;
}
