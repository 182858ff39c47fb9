using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Gateway.Auth;
using Bitcain.Gateway.Http;
using Bitcain.Gateway.Messaging;
using Bitcain.Gateway.OpenApi;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Gateway.Api;

public static class MarketEndpoints
{
    private const string Service = "market";
    private const string Tag = "Exchange";

    private static readonly ParamSpec ExchangePath = new("exchange_name", ParamKind.String, Required: true, In: "path");
    private static readonly ParamSpec ExchangeQuery = new("exchange", ParamKind.Exchange, Required: true);
    private static readonly ParamSpec ForceRefresh = new("force_refresh", ParamKind.Boolean, Default: false,
        Description: "Check the exchange now instead of answering from the ~30 s cache");

    private static readonly ParamSpec[] TickerParams = [ExchangeQuery, new("symbol", ParamKind.String, Required: true, MinLength: 1,
        Description: "BTC/USDT, BTCUSDT, BTC-USDT or btc_usdt")];

    private static readonly ParamSpec[] RouteParams =
    [
        new("base", ParamKind.String, Required: true, MinLength: 1, Description: "Base asset (e.g. BTC)"),
        new("quote", ParamKind.String, Required: true, MinLength: 1, Description: "Quote asset (e.g. USDT)"),
        new("size", ParamKind.Number, GreaterThan: 0, NumberMaximum: QueryBounds.MaxRouteSize, Description: "Optional base-asset size — drops routes whose min_amount exceeds it."),
        new("quote_size", ParamKind.Number, GreaterThan: 0, NumberMaximum: QueryBounds.MaxRouteSize, Description: "Optional quote-currency notional — drops routes whose min_cost exceeds it."),
    ];

    public static void MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDocumented(new("GET", "/api/exchange/markets", "get_markets", "Get Markets", Tag, typeof(MarketsResponse), [ExchangeQuery]), GetMarkets);
        app.MapDocumented(new("GET", "/api/exchange/ticker", "get_ticker", "Get Ticker", Tag, typeof(TickerResponse), TickerParams), GetTicker);
        app.MapDocumented(new("GET", "/api/exchange/route", "get_trade_route", "Get Trade Route", Tag, typeof(RoutesResponse), RouteParams), GetRoute);
        app.MapDocumented(new("GET", "/api/exchange/health", "get_exchanges_health", "Get Exchanges Health", Tag, typeof(HealthReportResponse),
            [ForceRefresh], Anonymous: true), GetHealth);
        app.MapDocumented(new("GET", "/api/exchange/{exchange_name}/health", "get_single_exchange_health", "Get Single Exchange Health", Tag,
            typeof(ExchangeHealthResponse), [ExchangePath, ForceRefresh], Anonymous: true), GetExchangeHealth);
        app.MapDocumented(new("GET", "/api/exchange/{exchange_name}/info", "get_exchange_info", "Get Exchange Info", Tag, typeof(ExchangeInfoResponse),
            [ExchangePath]), GetInfo);
    }

    private static async Task<IResult> GetMarkets(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, [ExchangeQuery]);
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);
        var answer = await calls.QueryAsync<MarketList>(Service, null, new GetMarkets(query.Exchange("exchange")!.Id), ct);
        if (!answer.Answered) return answer.Failure!;
        var list = answer.Reply!;
        return list.Failure is { } failure ? Failed(failure) : ApiResults.Ok(new MarketsResponse(list.Markets, list.Markets.Count, list.Exchange, list.FetchedAt));
    }

    private static async Task<IResult> GetTicker(HttpContext http, ServiceCalls calls, TickerShortCache kept, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, TickerParams);
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);
        var exchange = query.Exchange("exchange")!.Id;
        var symbol = query.String("symbol")!;
        if (kept.Find(exchange, symbol) is { } ticker) return ApiResults.Ok(TickerResponse.From(ticker));

        var answer = await calls.QueryAsync<TickerReply>(Service, null, new GetTicker(exchange, symbol), ct);
        if (!answer.Answered) return answer.Failure!;
        if (answer.Reply!.Failure is { } failure) return Failed(failure);
        kept.Keep(exchange, symbol, answer.Reply.Ticker!);
        return ApiResults.Ok(TickerResponse.From(answer.Reply.Ticker!));
    }

    /// <summary>
    /// Which exchanges count as connected is the caller's business, so the gateway asks the credential service and
    /// hands the market service just the exchange ids: the market service stays free of user data.
    /// </summary>
    private static async Task<IResult> GetRoute(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, RouteParams);
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);
        var baseAsset = AssetCodes.FromUser(query.String("base")!);
        var quoteAsset = AssetCodes.FromUser(query.String("quote")!);
        if (baseAsset == quoteAsset) return ApiResults.Detail(StatusCodes.Status400BadRequest, $"base and quote are the same asset ({baseAsset}): there is nothing to route");

        var credentials = await calls.QueryAsync<CredentialList>("credentials", http.UserId(), new ListCredentials(null), ct);
        if (!credentials.Answered) return credentials.Failure!;
        var connected = credentials.Reply!.Credentials.Where(c => c.IsActive).Select(c => c.ExchangeName).Distinct().ToList();

        var answer = await calls.QueryAsync<RouteList>(Service, null,
            new FindRoutes(baseAsset, quoteAsset, query.Number("size"), query.Number("quote_size"), connected), ct);
        if (!answer.Answered) return answer.Failure!;
        var routes = answer.Reply!.Routes.Select(RouteResponse.From).ToList();
        return ApiResults.Ok(new RoutesResponse(answer.Reply.Base, answer.Reply.Quote, query.Number("size"), query.Number("quote_size"),
            routes, routes.Count, answer.Reply.UnavailableExchanges));
    }

    private static async Task<IResult> GetHealth(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, [ForceRefresh]);
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);
        var answer = await calls.QueryAsync<ExchangeHealthReport>(Service, null, new GetExchangeHealth(null, query.Boolean("force_refresh") ?? false), ct);
        if (!answer.Answered) return answer.Failure!;
        var report = answer.Reply!;
        return ApiResults.Ok(new HealthReportResponse(report.Status,
            report.Exchanges.ToDictionary(e => e.Exchange, ExchangeHealthResponse.From), report.CheckedAt));
    }

    private static async Task<IResult> GetExchangeHealth(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, [ExchangePath, ForceRefresh]);
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);
        if (!ExchangeCatalog.TryResolve(query.String("exchange_name"), out var exchange)) return UnknownExchange(query.String("exchange_name"));
        var answer = await calls.QueryAsync<ExchangeHealthReport>(Service, null, new GetExchangeHealth(exchange.Id, query.Boolean("force_refresh") ?? false), ct);
        if (!answer.Answered) return answer.Failure!;
        return ApiResults.Ok(ExchangeHealthResponse.From(answer.Reply!.Exchanges.Single()));
    }

    private static async Task<IResult> GetInfo(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, [ExchangePath]);
        if (!ExchangeCatalog.TryResolve(query.String("exchange_name"), out var exchange)) return UnknownExchange(query.String("exchange_name"));
        var answer = await calls.QueryAsync<ExchangeInfo>(Service, null, new GetExchangeInfo(exchange.Id), ct);
        if (!answer.Answered) return answer.Failure!;
        return ApiResults.Ok(ExchangeInfoResponse.From(answer.Reply!));
    }

    private static IResult UnknownExchange(string? name) =>
        ApiResults.Detail(StatusCodes.Status404NotFound, $"Exchange '{name}' not found; supported: {string.Join(", ", ExchangeCatalog.Ids)}");

    private static IResult Failed(MarketFailure failure)
    {
        var result = ApiResults.Detail(failure.Status, failure.Detail);
        return failure.RetryAfterSeconds is { } seconds ? new WithRetryAfter(result, seconds) : result;
    }

    private sealed class WithRetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
