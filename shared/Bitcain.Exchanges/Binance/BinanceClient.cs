using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Binance;

/// <summary>
/// Binance spot and Binance.US: the same <c>/api/v3</c> protocol and signing, a different host, and a few
/// account endpoints that differ (see <see cref="BinanceModule.BinanceUs"/>).
/// </summary>
public sealed class BinanceClient(
    ExchangeDescriptor exchange,
    ExchangeTransport transport,
    BinanceRateLimits limits,
    TimeProvider time) : IExchangeClient, IBnbBurnAccount, IDustAssetsAccount, IAccountActivity
{
    public const int MaxTradesPerPage = 1000;
    private static readonly TimeSpan MarketsTtl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan TradeWindow = TimeSpan.FromHours(24);

    private long clockOffsetMs;
    private readonly MarketsCache marketsCache = new(time, MarketsTtl);

    public string Exchange => exchange.Id;
    public ExchangeCapabilities Capabilities => exchange.Capabilities;
    private bool IsBinanceUs => exchange.Id == "binanceus";

    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) =>
        Parse(BinanceParsers.ServerTime, await PublicAsync("/api/v3/time", null, 1, ct));

    /// <summary>The system status first, timed; then the clock, which an exchange in maintenance may not answer.</summary>
    public async Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        var (status, message) = Parse(BinanceParsers.SystemStatus, await PublicAsync("/sapi/v1/system/status", null, 1, ct));
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
        marketsCache.GetAsync(async token =>
        {
            var body = await PublicAsync("/api/v3/exchangeInfo", null, 20, token);
            return ResponseParsing.ParseUtf8(Exchange, utf8 => BinanceParsers.Markets(utf8.Span, exchange.DefaultMakerFee, exchange.DefaultTakerFee), body);
        }, ct);

    public async Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var market = await MarketOfAsync(symbol, ct);
        var body = await PublicAsync("/api/v3/ticker/24hr", "symbol=" + Uri.EscapeDataString(market.ExchangeSymbol), 2, ct);
        return Parse(json => BinanceParsers.Ticker(json, market), body);
    }

    public async Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Parse(BinanceParsers.Balances, await SignedAsync(HttpMethod.Get, "/api/v3/account", [], credentials, 20, ct));

    public async Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        IsBinanceUs
            ? Parse(BinanceParsers.AccountPermissions, await SignedAsync(HttpMethod.Get, "/api/v3/account", [], credentials, 20, ct))
            : Parse(BinanceParsers.ApiRestrictions, await SignedAsync(HttpMethod.Get, "/sapi/v1/account/apiRestrictions", [], credentials, 1, ct));

    /// <summary>
    /// <c>/api/v3/myTrades</c> needs a symbol and allows either a 24 h <c>startTime</c>/<c>endTime</c> window or
    /// <c>fromId</c>. With <see cref="MyTradesQuery.Since"/> we walk 24 h windows until the first trade, then follow
    /// <c>fromId</c> (which is complete up to now); without it we start at trade id 0.
    /// </summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(
        ExchangeApiCredentials credentials, MyTradesQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(query.Symbol))
            throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: trade history needs a symbol");
        var market = await MarketOfAsync(query.Symbol, ct);
        var limit = Math.Clamp(query.PageSize, 1, MaxTradesPerPage);
        var markets = await GetMarketsAsync(ct);
        Market? MarketOf(string id) => id == market.ExchangeSymbol ? market : markets.FirstOrDefault(m => m.ExchangeSymbol == id);

        long? fromId = query.Cursor is { } cursor ? FromIdOf(cursor)
            : query.FromTradeId is { } id ? FromIdOf("fromId:" + id)
            : query.Since is null ? 0 : null;
        var windowStart = query.Since;
        while (true)
        {
            var parameters = new List<KeyValuePair<string, string>> { new("symbol", market.ExchangeSymbol), new("limit", Text(limit)) };
            if (fromId is { } from) parameters.Add(new("fromId", Text(from)));
            else
            {
                var start = windowStart!.Value;
                parameters.Add(new("startTime", Text(start.ToUnixTimeMilliseconds())));
                parameters.Add(new("endTime", Text((start + TradeWindow).ToUnixTimeMilliseconds() - 1)));
            }

            // The next fromId comes from the trade ids, so reading them is part of reading the answer.
            var (trades, lastId) = ResponseParsing.ParseUtf8(Exchange, utf8 =>
                {
                    var page = BinanceParsers.MyTrades(utf8, MarketOf);
                    return (page, page.Count == 0 ? (long?)null : page.Max(t => long.Parse(t.Id, NumberStyles.Integer, CultureInfo.InvariantCulture)));
                },
                await SignedAsync(HttpMethod.Get, "/api/v3/myTrades", parameters, credentials, 20, ct));

            if (fromId is not null)
            {
                var more = trades.Count >= limit;
                var next = lastId is { } last ? last + 1 : fromId.Value;
                yield return new TradePage(trades, more ? $"fromId:{next}" : null);
                if (!more) yield break;
                fromId = next;
            }
            else if (trades.Count > 0)
            {
                // From the first trade found, fromId pages reach every later trade, whatever its window.
                fromId = lastId!.Value + 1;
                yield return new TradePage(trades, $"fromId:{fromId}");
            }
            else
            {
                windowStart = windowStart!.Value + TradeWindow;
                if (windowStart > time.GetUtcNow())
                {
                    yield return new TradePage([], null);
                    yield break;
                }
            }
        }
    }

    private long FromIdOf(string cursor) =>
        cursor.StartsWith("fromId:", StringComparison.Ordinal) && long.TryParse(cursor["fromId:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: not a trade cursor of this exchange", "invalid_cursor");

    public async Task<BnbBurnSettings> GetBnbBurnAsync(ExchangeApiCredentials credentials, CancellationToken ct = default)
    {
        Require(ExchangeCapabilities.BnbBurn, "BNB burn");
        return Parse(BinanceParsers.BnbBurn, await SignedAsync(HttpMethod.Get, "/sapi/v1/bnbBurn", [], credentials, 1, ct));
    }

    /// <summary>
    /// A POST whose answer was lost (timeout, dropped connection, 5xx: Binance says the outcome is then unknown)
    /// may still have been applied, so we read the setting back before sending it again.
    /// </summary>
    public async Task<BnbBurnSettings> SetSpotBnbBurnAsync(ExchangeApiCredentials credentials, bool spotBnbBurn, CancellationToken ct = default)
    {
        Require(ExchangeCapabilities.BnbBurn, "BNB burn");
        KeyValuePair<string, string>[] parameters = [new("spotBNBBurn", spotBnbBurn ? "true" : "false")];
        try
        {
            return Parse(BinanceParsers.BnbBurn, await SignedAsync(HttpMethod.Post, "/sapi/v1/bnbBurn", parameters, credentials, 1, ct));
        }
        catch (ExchangeException e) when (e.ErrorType is ExchangeErrorType.NetworkError or ExchangeErrorType.ExchangeUnavailable)
        {
            var current = await GetBnbBurnAsync(credentials, ct);
            if (current.SpotBnbBurn == spotBnbBurn) return current;
            return Parse(BinanceParsers.BnbBurn, await SignedAsync(HttpMethod.Post, "/sapi/v1/bnbBurn", parameters, credentials, 1, ct));
        }
    }

    public async Task<DustAssets> GetDustAssetsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default)
    {
        Require(ExchangeCapabilities.DustAssets, "dust assets");
        return IsBinanceUs
            ? Parse(BinanceParsers.UsDustAssets,
                await SignedAsync(HttpMethod.Get, "/sapi/v1/asset/query/dust-assets", [new("toAsset", "BNB")], credentials, 1, ct))
            // dust-btc only reads, despite being a POST.
            : Parse(BinanceParsers.DustBtc,
                await SignedAsync(HttpMethod.Post, "/sapi/v1/asset/dust-btc", [new("accountType", "SPOT")], credentials, 1, ct));
    }

    public Task<AccountActivity> GetAccountActivityAsync(ExchangeApiCredentials credentials, DateTimeOffset since, CancellationToken ct = default) =>
        new BinanceAccountActivity(Exchange, IsBinanceUs, time,
            (path, parameters, weight, token) => SignedAsync(HttpMethod.Get, path, parameters, credentials, weight, token)).ReadAsync(since, ct);

    private async Task<Market> MarketOfAsync(string symbol, CancellationToken ct)
    {
        var markets = await GetMarketsAsync(ct);
        return SymbolParser.FindMarket(symbol, markets.ToList())
               ?? throw new ExchangeException(Exchange, ExchangeErrorType.InvalidRequest, $"{Exchange}: unknown symbol {symbol}", "unknown_symbol");
    }

    private void Require(ExchangeCapabilities capability, string operation)
    {
        if (!Capabilities.HasFlag(capability)) throw ExchangeException.Unsupported(Exchange, operation);
    }

    private Task<ExchangeResponse> PublicAsync(string path, string? query, int weight, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, () => (query, null, []), weight, null, ct);

    /// <summary>
    /// Every attempt gets a fresh timestamp and signature. GET parameters go in the query string; POST parameters
    /// in a form body, signed as query + body.
    /// </summary>
    private Task<ExchangeResponse> SignedAsync(
        HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> parameters,
        ExchangeApiCredentials credentials, int weight, CancellationToken ct) =>
        SendAsync(method, path, () =>
        {
            var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds() + Interlocked.Read(ref clockOffsetMs);
            var payload = BinanceSigner.Encode(parameters.Concat([
                new("recvWindow", Text(transport.Options.RecvWindowMs)),
                new("timestamp", Text(timestamp))]));
            var signature = BinanceSigner.Sign(credentials.ApiSecret, method == HttpMethod.Get ? payload : "", method == HttpMethod.Get ? "" : payload);
            var signed = $"{payload}&signature={signature}";
            return method == HttpMethod.Get ? (signed, null, [signature]) : (null, signed, [signature]);
        }, weight, credentials, ct);

    private async Task<ExchangeResponse> SendAsync(
        HttpMethod method, string path, Func<(string? Query, string? Body, string[] Signatures)> build, int weight,
        ExchangeApiCredentials? credentials, CancellationToken ct)
    {
        // /sapi endpoints spend a separate IP weight budget, reported in their own header.
        var sapi = path.StartsWith("/sapi/", StringComparison.Ordinal);
        var limiter = sapi ? limits.Sapi : limits.Api;
        var usedWeightHeader = sapi ? "X-SAPI-USED-IP-WEIGHT-1M" : "X-MBX-USED-WEIGHT-1M";
        for (var attempt = 0; ; attempt++)
        {
            await limiter.AcquireAsync(weight, ct);
            var (query, body, signatures) = build();
            var headers = credentials is null ? [] : new[] { new KeyValuePair<string, string>("X-MBX-APIKEY", credentials.ApiKey) };
            var content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
            var response = await transport.SendAsync(method, path, query, content, headers, ct);

            if (int.TryParse(response.Header(usedWeightHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var used))
                limiter.Observe(used);
            if (BinanceErrors.IsSuccess(response.Status)) return response;

            var error = BinanceErrors.Map(Exchange, response.StatusCode, response.Body, response.RetryAfter, path,
                text => credentials?.Scrub(text, signatures) ?? text);
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                limiter.BackOff(error.RetryAfter!.Value);
                if (response.StatusCode == 418) limits.Api.BackOff(error.RetryAfter.Value); // an IP ban stops everything
                if (attempt == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            else if (error.ExchangeCode == Text(BinanceErrors.InvalidTimestamp) && credentials is not null && attempt == 0)
            {
                await SyncClockAsync(ct);
                continue;
            }
            else if (error.ExchangeCode == Text(BinanceErrors.RejectedKey) && credentials is not null && path != KeyProbePath
                     && await KeyIsAcceptedAsync(credentials, ct))
            {
                // -2015 means "key, IP or permissions": the key just worked elsewhere, so it is the permission.
                throw new ExchangeException(Exchange, ExchangeErrorType.PermissionDenied,
                    $"{Exchange}: {ExchangeException.Describe(ExchangeErrorType.PermissionDenied)} on {path}: {error.ExchangeCode} {error.ExchangeMessage}",
                    error.ExchangeCode, error.ExchangeMessage, null, error.HttpStatus);
            }
            throw error;
        }
    }

    private string KeyProbePath => IsBinanceUs ? "/api/v3/account" : "/sapi/v1/account/apiRestrictions";

    private async Task<bool> KeyIsAcceptedAsync(ExchangeApiCredentials credentials, CancellationToken ct)
    {
        try
        {
            await SignedAsync(HttpMethod.Get, KeyProbePath, [], credentials, IsBinanceUs ? 20 : 1, ct);
            return true;
        }
        catch (ExchangeException)
        {
            return false;
        }
    }

    /// <summary>-1021: our clock and Binance's disagree by more than recvWindow; measure the offset from server time.</summary>
    private async Task SyncClockAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow();
        var server = await GetServerTimeAsync(ct);
        var after = time.GetUtcNow();
        var local = before + (after - before) / 2;
        Interlocked.Exchange(ref clockOffsetMs, (long)(server - local).TotalMilliseconds);
    }

    private T Parse<T>(Func<string, T> parse, ExchangeResponse response) => ResponseParsing.Parse(Exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Binance's per-IP request weight budgets: <c>/api</c> and <c>/sapi</c> are counted apart.</summary>
public sealed record BinanceRateLimits(RequestWeightLimiter Api, RequestWeightLimiter Sapi);
