using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Bitfinex;

/// <summary>
/// Bitfinex API v2: public GETs under <c>/v2/...</c>, authenticated POSTs under <c>/v2/auth/r/...</c> with bfx-* headers.
/// Bitfinex's docs (api-access) put public calls on api-pub.bitfinex.com and authenticated ones on api.bitfinex.com;
/// api.bitfinex.com answers the public v2 paths too, so one base URL (the catalog's api.bitfinex.com, or the simulator)
/// serves both. Bitfinex has no time endpoint: the server time is the <c>Date</c> header of <c>platform/status</c>.
/// </summary>
public sealed class BitfinexClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    BitfinexRateLimits limits,
    NonceSource nonces,
    TimeProvider time) : IExchangeClient
{
    /// <summary>trades/hist takes <c>limit</c> up to 2500 per Bitfinex's reference; we ask at most 1000, so a smaller cap
    /// on Bitfinex's side could never pass for a last page.</summary>
    public const int MaxTradesPerPage = 1000;

    private const string StatusPath = "/v2/platform/status";
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);

    // Calls with one key go one at a time: nonces must reach Bitfinex in the order they were handed out.
    private readonly KeyedGate keyGates = new();
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        DateOf(await PublicAsync(StatusPath, null, ct))
        ?? throw ExchangeException.Malformed(Exchange, StatusPath, "no Date header");

    /// <summary>One call: platform/status says operative or maintenance, its Date header is the server's clock (whole seconds).</summary>
    public async Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        try
        {
            var response = await PublicAsync(StatusPath, null, ct);
            var latency = time.GetElapsedTime(started);
            var status = Parse(BitfinexParsers.PlatformStatus, response);
            return new ExchangeHealth(status, status == ExchangeSystemStatus.Maintenance ? "platform status 0: maintenance" : null, DateOf(response), latency);
        }
        catch (ExchangeException e) when (e.ErrorType == ExchangeErrorType.ExchangeUnavailable)
        {
            return new ExchangeHealth(ExchangeSystemStatus.Maintenance, e.ExchangeMessage, null, time.GetElapsedTime(started));
        }
    }

    /// <summary>The exchange-wallet pair list, their order-size bounds, and every ticker's last price for the price step.</summary>
    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token =>
        {
            var pairs = Parse(BitfinexParsers.ExchangePairs, await PublicAsync("/v2/conf/pub:list:pair:exchange", null, token));
            var info = Parse(BitfinexParsers.PairInfo, await PublicAsync("/v2/conf/pub:info:pair", null, token));
            var prices = Parse(BitfinexParsers.LastPrices, await PublicAsync("/v2/tickers", "symbols=ALL", token));
            // Joining the three answers is still reading them (a price step from an odd last price).
            return ResponseParsing.Read(Exchange, "/v2/tickers", () => BitfinexParsers.Markets(pairs, info, prices, exchange.DefaultMakerFee, exchange.DefaultTakerFee));
        }, ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        var body = await PublicAsync("/v2/ticker/" + market.ExchangeSymbol, null, ct);
        return Parse(b => BitfinexParsers.Ticker(b, market, time.GetUtcNow()), body);
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(BitfinexParsers.Balances, await PrivateAsync("/v2/auth/r/wallets", "{}", credentials, ct));

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(BitfinexParsers.Permissions, await PrivateAsync("/v2/auth/r/permissions", "{}", credentials, ct));

    /// <summary>
    /// trades/hist newest first (<c>sort=-1</c>), from <c>end</c> (pinned at the first call) back to <see cref="MyTradesQuery.Since"/>
    /// (<c>start</c>) or the beginning. Each next page asks <c>end</c> = the oldest millisecond of the last page, inclusive, and
    /// drops the trades of that millisecond it already handed out: trades sharing a millisecond at a page boundary are
    /// neither lost nor repeated. A full page whose trades all share one millisecond is asked again with the largest page.
    /// Bitfinex has no "from trade id": it is refused. Each page is handed back oldest first.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (query.FromTradeId is not null)
            throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: trades are paged by time; a from-trade id is not supported", "unsupported_from_id");
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.Ordinal);
        var path = query.Symbol is null ? "/v2/auth/r/trades/hist" : $"/v2/auth/r/trades/{(await MarketOfAsync(query.Symbol, ct)).ExchangeSymbol}/hist";
        var limit = Math.Clamp(query.PageSize, 1, MaxTradesPerPage);
        var start = query.Since?.ToUnixTimeMilliseconds();
        var (end, seen) = query.Cursor is { } cursor ? ResumeAt(cursor) : (time.GetUtcNow().ToUnixTimeMilliseconds(), new HashSet<string>(StringComparer.Ordinal));
        var ask = limit;
        while (true)
        {
            var body = JsonSerializer.Serialize(new TradesHistRequest(start, end, ask, -1), TradesJson);
            var trades = Parse(b => BitfinexParsers.Trades(b, id => byId.GetValueOrDefault(id)), await PrivateAsync(path, body, credentials, ct));
            var fresh = trades.Where(t => !seen.Contains(t.Id)).OrderBy(t => t.Timestamp).ToList();
            if (trades.Count < ask)
            {
                yield return new TradePage(fresh, null);
                yield break;
            }
            var oldest = trades.Min(t => t.Timestamp).ToUnixTimeMilliseconds();
            if (oldest == end)
            {
                // The whole page sits in the boundary millisecond: only a larger page can get past it.
                if (ask == MaxTradesPerPage)
                    throw new ExchangeException(Exchange, ExchangeErrorType.ExchangeError,
                        $"{Exchange}: more than {MaxTradesPerPage} trades in one millisecond; they cannot be paged", "unpageable_trades");
                ask = MaxTradesPerPage;
                seen.UnionWith(fresh.Select(t => t.Id));
            }
            else
            {
                ask = limit;
                seen = trades.Where(t => t.Timestamp.ToUnixTimeMilliseconds() == oldest).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
                end = oldest;
            }
            yield return new TradePage(fresh, CursorOf(end, seen));
        }
    }

    private sealed record TradesHistRequest(
        [property: System.Text.Json.Serialization.JsonPropertyName("start")] long? Start,
        [property: System.Text.Json.Serialization.JsonPropertyName("end")] long End,
        [property: System.Text.Json.Serialization.JsonPropertyName("limit")] int Limit,
        [property: System.Text.Json.Serialization.JsonPropertyName("sort")] int Sort);

    private static readonly JsonSerializerOptions TradesJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary><c>end:&lt;ms&gt;:seen:&lt;ids&gt;</c>: the pinned boundary and the trades of that millisecond already handed out.</summary>
    private static string CursorOf(long end, IEnumerable<string> seen) => $"end:{Text(end)}:seen:{string.Join(',', seen.Order(StringComparer.Ordinal))}";

    private (long End, HashSet<string> Seen) ResumeAt(string cursor)
    {
        var parts = cursor.Split(':');
        if (parts is ["end", var e, "seen", var ids] && long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            && ids.Split(',', StringSplitOptions.RemoveEmptyEntries) is var list && list.All(id => id.All(char.IsAsciiDigit)))
            return (end, list.ToHashSet(StringComparer.Ordinal));
        throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: not a trade cursor of this exchange", "invalid_cursor");
    }

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct)
    {
        var markets = await GetMarketsAsync(ct);
        var text = symbol.Trim();
        return SymbolParser.FindMarket(text, markets.ToList())
               ?? markets.FirstOrDefault(m => string.Equals(m.ExchangeSymbol, "t" + text, StringComparison.OrdinalIgnoreCase))
               ?? (BitfinexParsers.SplitPair(text.ToUpperInvariant()) is var (b, q) ? markets.FirstOrDefault(m => m.Base == b && m.Quote == q) : null)
               ?? throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: unknown symbol {symbol}", "unknown_symbol");
    }

    /// <summary>Public limits are per IP and per endpoint on Bitfinex, so each endpoint has its own counter.</summary>
    private async Task<ExchangeResponse> PublicAsync(string path, string? query, CancellationToken ct)
    {
        var counter = path.StartsWith("/v2/ticker/", StringComparison.Ordinal) ? "/v2/ticker" : path;
        for (var attempt = 0; ; attempt++)
        {
            await limits.Public.AcquireAsync(counter, 1, ct);
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [], ct);
            var error = BitfinexErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path);
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limits.Public.BackOff(counter, error.RetryAfter!.Value);
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            throw error;
        }
    }

    /// <summary>Each attempt takes a new nonce and a new signature; a nonce refused as too small is tried once more.</summary>
    private async Task<ExchangeResponse> PrivateAsync(string path, string body, ExchangeApiCredentials credentials, CancellationToken ct)
    {
        var keyId = NonceSource.KeyId(credentials.ApiKey);
        for (var attempt = 0; ; attempt++)
        {
            await limits.Private.AcquireAsync(keyId, 1, ct);
            ExchangeResponse response;
            string signature;
            var held = await keyGates.EnterAsync(keyId, ct);
            try
            {
                var nonce = Text(nonces.Next(credentials.ApiKey));
                // The signature covers Bitfinex's own path (/api/v2/...), never our base URL's prefix.
                signature = BitfinexSigner.Sign(credentials.ApiSecret, path, nonce, body);
                response = await transport.SendAsync(HttpMethod.Post, path, null, new StringContent(body, Encoding.UTF8, "application/json"),
                    [new("bfx-nonce", nonce), new("bfx-apikey", credentials.ApiKey), new("bfx-signature", signature)], ct);
            }
            finally
            {
                held.Dispose();
            }

            var error = BitfinexErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path, text => credentials.Scrub(text, signature));
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limits.Private.BackOff(keyId, error.RetryAfter!.Value);
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            else if (error.ExchangeCode == BitfinexErrors.NonceTooSmall && attempt == 0)
            {
                continue;
            }
            throw error;
        }
    }

    private static DateTimeOffset? DateOf(ExchangeResponse response) =>
        DateTimeOffset.TryParseExact(response.Header("Date"), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Bitfinex limits per minute and endpoint: 90 on the authenticated reads used here (key-permissions reference: 90 req/min),
/// 10 to 90 per IP on public ones (blocked for up to 60 s past it). Draining counters admit max + rate × 60 in a minute:
/// private 30 + 1/s per key (≤ 90 across all its endpoints), public 10 + 0.33/s per endpoint (≤ 30).
/// </summary>
public sealed class BitfinexRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;
}
