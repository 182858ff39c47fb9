using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Microsoft.AspNetCore.Mvc;

namespace Bitcain.Gateway.Api;

public static class MarketEndpoints
{
    private const string Service = "market";

    public static void MapMarketEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/markets", GetMarkets).WithName("get_markets").WithSummary("Get Markets");
        api.MapGet("/ticker", GetTicker).WithName("get_ticker").WithSummary("Get Ticker");
        api.MapGet("/route", GetRoute).WithName("get_trade_route").WithSummary("Get Trade Route");
        api.MapGet("/health", GetHealth).WithName("get_exchanges_health").WithSummary("Get Exchanges Health").AllowAnonymous();
        api.MapGet("/{exchange_name}/health", GetExchangeHealth).WithName("get_single_exchange_health").WithSummary("Get Single Exchange Health").AllowAnonymous();
        api.MapGet("/{exchange_name}/info", GetInfo).WithName("get_exchange_info").WithSummary("Get Exchange Info");
    }

    private static async Task<Results<Ok<MarketsResponse>, JsonHttpResult<ErrorDetail>>> GetMarkets(ExchangeQuery query, ServiceCalls calls,
        HttpResponse response, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<MarketList>(Service, null, new GetMarkets(query.Exchange.Id), ct);
        if (!answer.Answered) return answer.Refusal();
        var list = answer.Reply!;
        return list.Failure is { } failure ? Failed(response, failure) : TypedResults.Ok(new MarketsResponse(list.Markets, list.Markets.Count, list.Exchange, list.FetchedAt));
    }

    private static async Task<Results<Ok<TickerResponse>, JsonHttpResult<ErrorDetail>>> GetTicker(TickerQuery query, ServiceCalls calls,
        TickerShortCache kept, HttpResponse response, CancellationToken ct)
    {
        var exchange = query.Exchange.Id;
        if (kept.Find(exchange, query.Symbol) is { } ticker) return TypedResults.Ok(TickerResponse.From(ticker));

        var answer = await calls.QueryAsync<TickerReply>(Service, null, new GetTicker(exchange, query.Symbol), ct);
        if (!answer.Answered) return answer.Refusal();
        if (answer.Reply!.Failure is { } failure) return Failed(response, failure);
        kept.Keep(exchange, query.Symbol, answer.Reply.Ticker!);
        return TypedResults.Ok(TickerResponse.From(answer.Reply.Ticker!));
    }

    /// <summary>
    /// Which exchanges count as connected is the caller's business, so the gateway asks the credential service and
    /// hands the market service just the exchange ids: the market service stays free of user data.
    /// </summary>
    private static async Task<Results<Ok<RoutesResponse>, JsonHttpResult<ErrorDetail>>> GetRoute(RouteQuery query, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var baseAsset = AssetCodes.FromUser(query.Base);
        var quoteAsset = AssetCodes.FromUser(query.Quote);
        if (baseAsset == quoteAsset) return EdgeResults.Detail(StatusCodes.Status400BadRequest, $"base and quote are the same asset ({baseAsset}): there is nothing to route");

        var credentials = await calls.QueryAsync<CredentialList>("credentials", user.Id(), new ListCredentials(null), ct);
        if (!credentials.Answered) return credentials.Refusal();
        var connected = credentials.Reply!.Credentials.Where(c => c.IsActive).Select(c => c.ExchangeName).Distinct().ToList();

        var answer = await calls.QueryAsync<RouteList>(Service, null, new FindRoutes(baseAsset, quoteAsset, query.Size, query.QuoteSize, connected), ct);
        if (!answer.Answered) return answer.Refusal();
        var routes = answer.Reply!.Routes.Select(RouteResponse.From).ToList();
        return TypedResults.Ok(new RoutesResponse(answer.Reply.Base, answer.Reply.Quote, query.Size, query.QuoteSize, routes, routes.Count,
            answer.Reply.UnavailableExchanges));
    }

    private static async Task<Results<Ok<HealthReportResponse>, JsonHttpResult<ErrorDetail>>> GetHealth(HealthQuery query, ServiceCalls calls, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<ExchangeHealthReport>(Service, null, new GetExchangeHealth(null, query.ForceRefresh), ct);
        return answer.Ok(HealthReportResponse.From);
    }

    private static async Task<Results<Ok<ExchangeHealthResponse>, NotFound<ErrorDetail>, JsonHttpResult<ErrorDetail>>> GetExchangeHealth(
        [FromRoute(Name = "exchange_name")] string exchangeName, HealthQuery query, ServiceCalls calls, CancellationToken ct)
    {
        if (!ExchangeCatalog.TryResolve(exchangeName, out var exchange)) return UnknownExchange(exchangeName);
        var answer = await calls.QueryAsync<ExchangeHealthReport>(Service, null, new GetExchangeHealth(exchange.Id, query.ForceRefresh), ct);
        if (!answer.Answered) return answer.Refusal();
        return TypedResults.Ok(ExchangeHealthResponse.From(answer.Reply!.Exchanges.Single()));
    }

    private static async Task<Results<Ok<ExchangeInfoResponse>, NotFound<ErrorDetail>, JsonHttpResult<ErrorDetail>>> GetInfo(
        [FromRoute(Name = "exchange_name")] string exchangeName, ServiceCalls calls, CancellationToken ct)
    {
        if (!ExchangeCatalog.TryResolve(exchangeName, out var exchange)) return UnknownExchange(exchangeName);
        var answer = await calls.QueryAsync<ExchangeInfo>(Service, null, new GetExchangeInfo(exchange.Id), ct);
        if (!answer.Answered) return answer.Refusal();
        return TypedResults.Ok(ExchangeInfoResponse.From(answer.Reply!));
    }

    private static NotFound<ErrorDetail> UnknownExchange(string? name) =>
        TypedResults.NotFound(new ErrorDetail($"Exchange '{name}' not found; supported: {string.Join(", ", ExchangeCatalog.Ids)}"));

    private static JsonHttpResult<ErrorDetail> Failed(HttpResponse response, MarketFailure failure)
    {
        if (failure.RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return EdgeResults.Detail(failure.Status, failure.Detail);
    }
}

public sealed record ExchangeQuery : EdgeQuery<ExchangeQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))]
    public ExchangeDescriptor Exchange { get; init; } = null!;
}

public sealed record TickerQuery : EdgeQuery<TickerQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))]
    public ExchangeDescriptor Exchange { get; init; } = null!;

    [JsonPropertyName("symbol"), Required, MinLength(1), Description("BTC/USDT, BTCUSDT, BTC-USDT or btc_usdt")]
    public string Symbol { get; init; } = "";
}

public sealed record RouteQuery : EdgeQuery<RouteQuery>
{
    [JsonPropertyName("base"), Required, MinLength(1), Description("Base asset (e.g. BTC)")]
    public string Base { get; init; } = "";

    [JsonPropertyName("quote"), Required, MinLength(1), Description("Quote asset (e.g. USDT)")]
    public string Quote { get; init; } = "";

    [JsonPropertyName("size"), Range(typeof(decimal), "0", "1000000000000000", MinimumIsExclusive = true)]
    [Description("Optional base-asset size — drops routes whose min_amount exceeds it.")]
    public decimal? Size { get; init; }

    [JsonPropertyName("quote_size"), Range(typeof(decimal), "0", "1000000000000000", MinimumIsExclusive = true)]
    [Description("Optional quote-currency notional — drops routes whose min_cost exceeds it.")]
    public decimal? QuoteSize { get; init; }
}

public sealed record HealthQuery : EdgeQuery<HealthQuery>
{
    [JsonPropertyName("force_refresh"), DefaultValue(false), Description("Check the exchange now instead of answering from the ~30 s cache")]
    public bool ForceRefresh { get; init; }
}
