using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Kraken;

/// <summary>Kraken spot REST: public GETs under <c>/0/public</c>, signed form POSTs under <c>/0/private</c>.</summary>
public sealed class KrakenClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    KrakenRateLimits limits,
    NonceSource nonces,
    TimeProvider time) : IExchangeClient
{
    /// <summary>TradesHistory returns 50 trades per call, whatever is asked.</summary>
    public const int TradesPerPage = 50;
    private const string PublicCounter = "public";
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);

    // Requests with the same key are sent one at a time: nonces must not only be handed out in order,
    // they must reach Kraken in order.
    private readonly KeyedGate keyGates = new();
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(KrakenParsers.ServerTime, await PublicAsync("/0/public/Time", null, ct));

    /// <summary>The system status first, timed; then the clock, which an exchange in maintenance may not answer.</summary>
    public async Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        var (status, message) = Parse(KrakenParsers.SystemStatus, await PublicAsync("/0/public/SystemStatus", null, ct));
        var latency = time.GetElapsedTime(started);
        DateTimeOffset? serverTime;
        try
        {
            serverTime = await GetServerTimeAsync(ct);
        }
        catch (ExchangeException) when (status != ExchangeSystemStatus.Normal)
        {
            serverTime = null;
        }
        return new ExchangeHealth(status, message, serverTime, latency);
    }

    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token => Parse(KrakenParsers.Markets, await PublicAsync("/0/public/AssetPairs", null, token)), ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        var body = await PublicAsync("/0/public/Ticker", "pair=" + Uri.EscapeDataString(market.ExchangeSymbol), ct);
        return Parse(json => KrakenParsers.Ticker(json, market, time.GetUtcNow()), body);
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(KrakenParsers.BalanceEx, await PrivateAsync("/0/private/BalanceEx", [], credentials, 1, ct));

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(KrakenParsers.ApiKeyInfo, await PrivateAsync("/0/private/GetApiKeyInfo", [], credentials, 1, ct));

    /// <summary>
    /// TradesHistory pages newest first by <c>ofs</c>, 50 at a time, for every pair at once. <c>end</c> is pinned at the
    /// first call so trades made meanwhile do not shift the offsets; a symbol, if given, filters locally.
    /// <see cref="MyTradesQuery.Since"/> maps to <c>start</c> (seconds), <see cref="MyTradesQuery.FromTradeId"/> to
    /// <c>start</c> as a txid; both exclusive.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.OrdinalIgnoreCase);
        Market? MarketOf(string pair) => byId.TryGetValue(pair, out var m) ? m
            : markets.FirstOrDefault(x => string.Equals(x.Base + x.Quote, KrakenParsers.GuessSymbol(pair).Replace("/", ""), StringComparison.OrdinalIgnoreCase));
        var wanted = query.Symbol is null ? null : (await MarketOfAsync(query.Symbol, ct)).Symbol;

        var start = query.FromTradeId ?? (query.Since is { } since ? Text(since.ToUnixTimeSeconds()) : null);
        var (offset, end) = query.Cursor is { } cursor ? ResumeAt(cursor) : (0, Text(time.GetUtcNow().ToUnixTimeSeconds()));
        while (true)
        {
            var parameters = new List<KeyValuePair<string, string>> { new("type", "all"), new("end", end), new("ofs", Text(offset)) };
            if (start is not null) parameters.Add(new("start", start));
            var (trades, count) = Parse(json => KrakenParsers.TradesHistory(json, MarketOf),
                await PrivateAsync("/0/private/TradesHistory", parameters, credentials, 2, ct));
            offset += trades.Count;
            var more = trades.Count > 0 && offset < count;
            var mine = trades.Where(t => wanted is null || t.Symbol == wanted).OrderBy(t => t.Timestamp).ToList();
            yield return new TradePage(mine, more ? $"ofs:{offset}:end:{end}" : null);
            if (!more) yield break;
        }
    }

    /// <summary>A cursor carries the pinned <c>end</c> as well as the offset: offsets only mean something against it.</summary>
    private (int Offset, string End) ResumeAt(string cursor)
    {
        var parts = cursor.Split(':');
        if (parts is ["ofs", var ofs, "end", var end] && int.TryParse(ofs, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            && long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return (offset, end);
        throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: not a trade cursor of this exchange", "invalid_cursor");
    }

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct)
    {
        var markets = await GetMarketsAsync(ct);
        return SymbolParser.FindMarket(symbol, markets.ToList())
               ?? markets.FirstOrDefault(m => string.Equals(m.ExchangeSymbol, symbol.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? SymbolParser.FindMarket(KrakenParsers.GuessSymbol(symbol.Trim().ToUpperInvariant()), markets.ToList())
               ?? throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: unknown symbol {symbol}", "unknown_symbol");
    }

    private async Task<ExchangeResponse> PublicAsync(string path, string? query, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await limits.Public.AcquireAsync(PublicCounter, 1, ct);
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [], ct);
            var error = KrakenErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path, time.GetUtcNow(), limits.DefaultRetryAfter);
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limits.Public.BackOff(PublicCounter, error.RetryAfter!.Value);
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            throw error;
        }
    }

    /// <summary>Each attempt takes a new nonce and a new signature; Kraken never sees one twice.</summary>
    private async Task<ExchangeResponse> PrivateAsync(
        string path, IReadOnlyList<KeyValuePair<string, string>> parameters, ExchangeApiCredentials credentials, int cost, CancellationToken ct)
    {
        var keyId = NonceSource.KeyId(credentials.ApiKey);
        for (var attempt = 0; ; attempt++)
        {
            await limits.Private.AcquireAsync(keyId, cost, ct);
            ExchangeResponse response;
            string signature;
            var held = await keyGates.EnterAsync(keyId, ct);
            try
            {
                var nonce = Text(nonces.Next(credentials.ApiKey));
                var body = string.Join("&", new[] { new KeyValuePair<string, string>("nonce", nonce) }.Concat(parameters)
                    .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
                signature = SignOrFail(credentials.ApiSecret, path, nonce, body);
                response = await transport.SendAsync(HttpMethod.Post, path, null,
                    new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
                    [new("API-Key", credentials.ApiKey), new("API-Sign", signature)], ct);
            }
            finally
            {
                held.Dispose();
            }

            var error = KrakenErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path, time.GetUtcNow(),
                limits.DefaultRetryAfter, text => credentials.Scrub(text, signature));
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limits.Private.BackOff(keyId, error.RetryAfter!.Value);
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            else if (error.ExchangeMessage?.StartsWith(KrakenErrors.InvalidNonce, StringComparison.Ordinal) == true && attempt == 0)
            {
                continue;
            }
            throw error;
        }
    }

    private string SignOrFail(string secret, string path, string nonce, string body)
    {
        try
        {
            return KrakenSigner.Sign(secret, path, nonce, body);
        }
        catch (FormatException)
        {
            throw new ExchangeException(Exchange, ExchangeErrorType.AuthError, $"{Exchange}: the API secret is not valid base64", "invalid_secret_format");
        }
    }

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Kraken's two limiters: per-key private call counters, and one counter for public calls from this IP.</summary>
public sealed class KrakenRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;

    /// <summary>Kraken sends no Retry-After with EAPI:Rate limit exceeded; this is how long two calls take to decay.</summary>
    public TimeSpan DefaultRetryAfter => TimeSpan.FromSeconds(Math.Ceiling(2 / Private.DecayPerSecond));
}
