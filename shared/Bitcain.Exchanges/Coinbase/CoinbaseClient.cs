using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Coinbase;

/// <summary>
/// Coinbase Advanced Trade REST (<c>/api/v3/brokerage/...</c>): public market data under <c>/market/...</c> without auth,
/// account reads with a CDP key's per-request JWT (<see cref="CoinbaseSigner"/>). The API key is the CDP key name
/// (<c>organizations/{org}/apiKeys/{id}</c>), the secret its private key (EC P-256 PEM or Ed25519). Advanced Trade has no
/// status endpoint: health is the time endpoint answering.
/// </summary>
public sealed class CoinbaseClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    CoinbaseRateLimits limits,
    TimeProvider time) : IExchangeClient
{
    /// <summary>Fills per page: Coinbase documents no maximum for <c>limit</c>; 100 is what its SDKs ask by default.</summary>
    public const int MaxTradesPerPage = 100;

    /// <summary>Accounts per page: Coinbase's <c>limit</c> default is 49, its maximum 250.</summary>
    public const int AccountsPerPage = 250;

    private const string Api = "/api/v3/brokerage";
    private const string TimePath = Api + "/time";
    private const string PublicCounter = "ip";
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;

    public ExchangeCapabilities Capabilities => exchange.Capabilities;

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(CoinbaseParsers.ServerTime, await PublicAsync(TimePath, null, ct));

    /// <summary>One timed call to <c>/time</c>; a venue that does not answer it (5xx) is in maintenance.</summary>
    public async Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        try
        {
            var serverTime = await GetServerTimeAsync(ct);
            return new ExchangeHealth(ExchangeSystemStatus.Normal, null, serverTime, time.GetElapsedTime(started));
        }
        catch (ExchangeException e) when (e.ErrorType == ExchangeErrorType.ExchangeUnavailable)
        {
            return new ExchangeHealth(ExchangeSystemStatus.Maintenance, e.ExchangeMessage ?? e.Message, null, time.GetElapsedTime(started));
        }
    }

    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) =>
        marketsCache.GetAsync(async token => Parse(b => CoinbaseParsers.Markets(b, exchange.DefaultMakerFee, exchange.DefaultTakerFee),
            await PublicAsync(Api + "/market/products", "product_type=SPOT", token)), ct);

    /// <summary>Best bid and ask from the product's ticker (<c>limit=1</c>: only the latest trade), price and 24 h figures from the product.</summary>
    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        var product = Api + "/market/products/" + Uri.EscapeDataString(market.ExchangeSymbol);
        var ticker = await PublicAsync(product + "/ticker", "limit=1", ct);
        var details = await PublicAsync(product, null, ct);
        return Parse(_ => CoinbaseParsers.Ticker(ticker.Body, details.Body, market, time.GetUtcNow()), ticker);
    }

    /// <summary>Every page of <c>accounts</c> (<c>has_next</c> / <c>cursor</c>), summed per currency.</summary>
    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default)
    {
        var all = new List<Balance>();
        string? cursor = null;
        do
        {
            var query = $"limit={Text(AccountsPerPage)}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (balances, next) = Parse(CoinbaseParsers.Accounts, await PrivateAsync(Api + "/accounts", query, credentials, ct));
            all.AddRange(balances);
            cursor = next == cursor ? null : next;
        } while (cursor is not null);
        // Summing the pages is still reading them (a sum can overflow).
        return ResponseParsing.Read(Exchange, Api + "/accounts", () => CoinbaseParsers.Balances(all));
    }

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(CoinbaseParsers.Permissions, await PrivateAsync(Api + "/key_permissions", null, credentials, ct));

    /// <summary>
    /// <c>orders/historical/fills</c> newest first, page after page with Coinbase's <c>cursor</c> until it comes back empty.
    /// <see cref="MyTradesQuery.Symbol"/> is <c>product_ids</c>, <see cref="MyTradesQuery.Since"/> <c>start_sequence_timestamp</c>.
    /// Coinbase has no "from trade id": it is refused. Each page is handed back oldest first.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (query.FromTradeId is not null)
            throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: fills are paged by cursor; a from-trade id is not supported", "unsupported_from_id");
        var markets = await GetMarketsAsync(ct);
        var byId = markets.ToDictionary(m => m.ExchangeSymbol, StringComparer.OrdinalIgnoreCase);
        var productId = query.Symbol is null ? null : (await MarketOfAsync(query.Symbol, ct)).ExchangeSymbol;
        var limit = Math.Clamp(query.PageSize, 1, MaxTradesPerPage);
        var since = query.Since?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var cursor = query.Cursor is { } resume ? ResumeAt(resume) : null;
        while (true)
        {
            var parameters = $"limit={Text(limit)}"
                             + (productId is null ? "" : "&product_ids=" + Uri.EscapeDataString(productId))
                             + (since is null ? "" : "&start_sequence_timestamp=" + Uri.EscapeDataString(since))
                             + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (fills, next) = Parse(b => CoinbaseParsers.Fills(b, id => byId.GetValueOrDefault(id)),
                await PrivateAsync(Api + "/orders/historical/fills", parameters, credentials, ct));
            // A cursor that does not move would page forever; an empty page ends the history whatever the cursor says.
            var more = next is not null && next != cursor && fills.Count > 0;
            cursor = more ? next : null;
            yield return new TradePage(fills.Select(f => f.Trade).OrderBy(t => t.Timestamp).ToList(), more ? "cursor:" + cursor : null);
            if (!more) yield break;
        }
    }

    private string ResumeAt(string cursor) =>
        cursor.StartsWith("cursor:", StringComparison.Ordinal) && cursor.Length > 7 && cursor.Length <= 512 && cursor[7..].All(c => c is > ' ' and < (char)127)
            ? cursor[7..]
            : throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: not a trade cursor of this exchange", "invalid_cursor");

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct)
    {
        var markets = await GetMarketsAsync(ct);
        return SymbolParser.FindMarket(symbol, markets.ToList())
               ?? throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: unknown symbol {symbol}", "unknown_symbol");
    }

    /// <summary>Public market data is limited per IP: one counter.</summary>
    private async Task<ExchangeResponse> PublicAsync(string path, string? query, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await limits.Public.AcquireAsync(PublicCounter, 1, ct);
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [], ct);
            var error = CoinbaseErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path);
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limits.Public.BackOff(PublicCounter, error.RetryAfter!.Value);
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            throw error;
        }
    }

    /// <summary>A new token per attempt (its nonce and times are fresh); the key is read once per call and never kept.</summary>
    private async Task<ExchangeResponse> PrivateAsync(string path, string? query, ExchangeApiCredentials credentials, CancellationToken ct)
    {
        var keyName = credentials.ApiKey.Trim();
        if (keyName.Length == 0)
            throw new ExchangeException(Exchange, ExchangeErrorType.AuthError, $"{Exchange}: the API key (the CDP key name) is empty", "invalid_key");
        using var key = CoinbaseSigningKey.TryParse(credentials.ApiSecret)
                        ?? throw new ExchangeException(Exchange, ExchangeErrorType.AuthError, $"{Exchange}: {CoinbaseSigningKey.NotAKey}", "invalid_secret");
        var keyId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keyName)))[..16];
        var uri = CoinbaseSigner.UriClaim("GET", ExchangeTransport.Join(transport.Options.BaseUrl, path));
        for (var attempt = 0; ; attempt++)
        {
            await limits.Private.AcquireAsync(keyId, 1, ct);
            var token = CoinbaseSigner.Token(key, keyName, uri, time.GetUtcNow(), CoinbaseSigner.NewNonce());
            var response = await transport.SendAsync(HttpMethod.Get, path, query, null, [new("Authorization", "Bearer " + token)], ct);
            var error = CoinbaseErrors.Find(Exchange, response.StatusCode, response.Body, response.RetryAfter, path, text => credentials.Scrub(text, token));
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limits.Private.BackOff(keyId, error.RetryAfter!.Value);
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            throw error;
        }
    }

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Advanced Trade's published limits: 30 requests per second per key on private endpoints, 10 per second per IP on public
/// ones (docs.cdp.coinbase.com advanced-trade rate limits). Draining counters admit max + rate in any one second, so both are
/// half the limit: private 15 + 15/s per key (≤ 30), public 5 + 5/s (≤ 10).
/// </summary>
public sealed class CoinbaseRateLimits(DecayingCallCounter @private, DecayingCallCounter @public)
{
    public DecayingCallCounter Private { get; } = @private;
    public DecayingCallCounter Public { get; } = @public;
}
