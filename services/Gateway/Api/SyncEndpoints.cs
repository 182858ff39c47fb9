using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Gateway.Auth;
using Bitcain.Gateway.Http;
using Bitcain.Gateway.Messaging;
using Bitcain.Gateway.OpenApi;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Gateway.Api;

/// <summary>Balances, trades and Binance account settings: the sync service's endpoints.</summary>
public static class SyncEndpoints
{
    private const string Service = "sync";
    private const string Tag = "Exchange";

    /// <summary>
    /// What a trade sync that outlives the gateway's wait answers: 200, <c>success: true</c>, zero counts and this
    /// <c>error</c>. The sync keeps running in the sync service; its trades appear in <c>GET /api/exchange/trades</c>
    /// and its end in the audit events (and the <c>bitcain.sync.trades-synced.v1</c> event). Poll those; do not retry.
    /// </summary>
    public const string StillRunning = "sync still running: the exchange has more pages than fit in this request's wait; " +
                                       "the sync continues in the background and its trades appear in GET /api/exchange/trades as they are stored";

    private static readonly ParamSpec ExchangeRequired = new("exchange", ParamKind.Exchange, Required: true);
    private static readonly ParamSpec CredentialId = new("credential_id", ParamKind.String);
    private static readonly ParamSpec StartDate = new("start_date", ParamKind.DateTime);
    private static readonly ParamSpec EndDate = new("end_date", ParamKind.DateTime);
    private static readonly ParamSpec BinanceVenue = new("exchange", ParamKind.String, Default: "binanceus", Description: "Binance venue: 'binanceus' or 'binance'.");

    private static readonly ParamSpec[] BalanceSyncParams = [ExchangeRequired, CredentialId];
    private static readonly ParamSpec[] BalanceParams = [ExchangeRequired, new("currency", ParamKind.String), CredentialId];
    private static readonly ParamSpec[] HistoryParams = [ExchangeRequired, new("currency", ParamKind.String, Required: true), StartDate, EndDate,
        new("limit", ParamKind.Integer, Default: 100L, Minimum: 1, Maximum: QueryBounds.MaxLimit)];
    private static readonly ParamSpec[] TradeSyncParams = [ExchangeRequired, CredentialId, new("symbol", ParamKind.String),
        new("since", ParamKind.DateTime, Description: "Not before the exchange's first day of trading (trading_since in GET /api/exchange/{exchange_name}/info), nor in the future"),
        new("limit", ParamKind.Integer, Default: 100L, Minimum: 1, Maximum: QueryBounds.MaxTradePageSize, Description: "Page size asked of the exchange, capped at its maximum")];
    private static readonly ParamSpec[] TradeParams = [ExchangeRequired, new("symbol", ParamKind.String), StartDate, EndDate,
        new("limit", ParamKind.Integer, Default: 100L, Minimum: 1, Maximum: QueryBounds.MaxLimit),
        new("offset", ParamKind.Integer, Default: 0L, Minimum: 0, Maximum: QueryBounds.MaxOffset,
            Description: "Trades to skip, newest first; past the bound narrow start_date/end_date instead")];
    private static readonly ParamSpec[] StatsParams = [new("exchange", ParamKind.Exchange), StartDate, EndDate];
    private static readonly ParamSpec[] StatusParams = [new("exchange", ParamKind.Exchange)];

    public static readonly BodySpec BnbBurnBody = new("BnbBurnRequest",
    [
        new("spot_bnb_burn", FieldKind.Boolean, Required: true, Description: "True to pay spot trading fees with BNB (the fee discount)."),
        new("exchange", FieldKind.String, Default: "binanceus", Description: "Binance venue: 'binanceus' or 'binance'."),
    ]);

    public static void MapSyncEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDocumented(new("POST", "/api/exchange/balance/sync", "sync_balance", "Sync Balance", Tag, typeof(BalanceSyncResponse), BalanceSyncParams), SyncBalance);
        app.MapDocumented(new("GET", "/api/exchange/balance", "get_balance", "Get Balance", Tag, typeof(BalanceResponse), BalanceParams), GetBalance);
        app.MapDocumented(new("GET", "/api/exchange/balance/history", "get_balance_history", "Get Balance History", Tag, typeof(BalanceHistoryResponse), HistoryParams), GetHistory);
        app.MapDocumented(new("POST", "/api/exchange/trades/sync", "sync_trades", "Sync Trades", Tag, typeof(TradeSyncResponse), TradeSyncParams,
            Description: "A sync longer than the gateway's wait (Gateway:SyncWaitSeconds, default 30 s) answers 200 with success true, zero counts and error \"sync still running: ...\"; " +
                         "it keeps running and its trades appear in GET /api/exchange/trades."), SyncTrades);
        app.MapDocumented(new("GET", "/api/exchange/trades", "get_trades", "Get Trades", Tag, typeof(TradeListResponse), TradeParams), GetTrades);
        app.MapDocumented(new("GET", "/api/exchange/trades/stats", "get_trade_stats", "Get Trade Stats", Tag, typeof(TradeStatsResponse), StatsParams), GetStats);
        app.MapDocumented(new("GET", "/api/exchange/sync/status", "get_sync_status", "Get Sync Status", Tag, typeof(SyncStatusResponse), StatusParams,
            Description: "Beyond the reference: per exchange account, the last balance and trade syncs, counts, and the last failure. " +
                         "Served by an asynchronous projection, so it may trail the latest sync by a moment (current_through: the last event it includes)."), GetSyncStatus);
        app.MapDocumented(new("GET", "/api/exchange/bnb-burn", "get_bnb_burn", "Get Bnb Burn", Tag, typeof(BnbBurnResponse), [BinanceVenue],
            Description: "binance only: Binance.US offers no BNB-burn API, so exchange=binanceus (the default) answers 400."), GetBnbBurn);
        app.MapDocumented(new("POST", "/api/exchange/bnb-burn", "set_bnb_burn", "Set Bnb Burn", Tag, typeof(BnbBurnResponse), Body: BnbBurnBody,
            Description: "binance only: Binance.US offers no BNB-burn API, so exchange=binanceus (the default) answers 400."), SetBnbBurn);
        app.MapDocumented(new("GET", "/api/exchange/dust-assets", "get_dustable_assets", "Get Dustable Assets", Tag, typeof(DustAssetsResponse), [BinanceVenue]), GetDust);
    }

    // Not one of this user's credential ids: it names no credential, as an unknown id does.
    private static Guid? CredentialOf(ParamValues q, out bool malformed)
    {
        var raw = q.String("credential_id");
        malformed = raw is not null && !Guid.TryParse(raw, out _);
        return raw is not null && Guid.TryParse(raw, out var id) ? id : null;
    }

    private static async Task<IResult> SyncBalance(HttpContext http, ServiceCalls calls, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, BalanceSyncParams);
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var exchange = q.Exchange("exchange")!.Id;
        var user = http.UserId();
        var credential = CredentialOf(q, out var malformed);
        if (malformed)
            return ApiResults.Ok(new BalanceSyncResponse(false, user, exchange, 0, new Dictionary<string, BalanceAmountResponse>(), clock.GetUtcNow(),
                $"Credential {q.String("credential_id")} not found for {exchange}", "no_credentials"));

        var answer = await calls.SendCommandAsync<BalanceSyncResult>(Service, user, new SyncBalances(exchange, credential), SyncWait(configuration), ct);
        if (!answer.Answered && !answer.TimedOut) return answer.Failure!;
        var result = answer.Reply;
        return result is null
            ? ApiResults.Detail(StatusCodes.Status504GatewayTimeout, "The balance sync did not finish in time; it continues in the sync service and its result will show in GET /api/exchange/balance.")
            : ApiResults.Ok(BalanceSyncResponse.From(user, result));
    }

    private static async Task<IResult> GetBalance(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, BalanceParams);
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var exchange = q.Exchange("exchange")!.Id;
        var currency = q.String("currency")?.ToUpperInvariant();
        var credential = CredentialOf(q, out var malformed);
        if (malformed) return ApiResults.Ok(new BalanceResponse(new Dictionary<string, CurrencyBalanceResponse>(), exchange, currency, null));

        var answer = await calls.QueryAsync<BalanceList>(Service, http.UserId(), new GetBalances(exchange, currency, credential), ct);
        if (!answer.Answered) return answer.Failure!;
        var balances = answer.Reply!.Balances.ToDictionary(b => b.Currency, b => new CurrencyBalanceResponse(b.Currency, b.Free, b.Locked, b.Total, b.SyncTimestamp));
        return ApiResults.Ok(new BalanceResponse(balances, exchange, currency, answer.Reply.LastSync));
    }

    private static async Task<IResult> GetHistory(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, HistoryParams);
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var exchange = q.Exchange("exchange")!.Id;
        var currency = q.String("currency")!.ToUpperInvariant();
        var answer = await calls.QueryAsync<BalanceHistory>(Service, http.UserId(),
            new GetBalanceHistory(exchange, currency, q.DateTime("start_date"), q.DateTime("end_date"), (int)q.Integer("limit")!.Value), ct);
        if (!answer.Answered) return answer.Failure!;
        var items = answer.Reply!.History.Select(h => new BalanceHistoryItemResponse(h.Currency, h.Free, h.Locked, h.Total, h.SyncTimestamp, h.SyncStatus)).ToList();
        return ApiResults.Ok(new BalanceHistoryResponse(items, exchange, currency, answer.Reply.TotalRecords));
    }

    /// <summary>How long a balance or trade sync request waits for the sync to end (<c>Gateway:SyncWaitSeconds</c>, default 30): a
    /// sync pages through an exchange's rate limits and takes longer than a query, but a client should not hang.</summary>
    public const string SyncWaitSetting = "Gateway:SyncWaitSeconds";

    /// <summary>
    /// The trade sync's parameters with <c>since</c> checked against the exchange: no account has trades before the venue
    /// opened or after now, so such a <c>since</c> is a typo that would otherwise page through empty years or find nothing.
    /// Checked only when the exchange is known, and reported beside the request's other errors as pydantic orders them.
    /// </summary>
    public static ParamValues ReadTradeSync(HttpRequest request, DateTimeOffset now)
    {
        var q = ParamValues.Read(request, TradeSyncParams);
        if (q.Exchange("exchange") is not { } exchange || q.DateTime("since") is not { } since) return q;
        var raw = request.Query["since"][^1];
        var error = since < exchange.TradingSince ? SinceBefore(exchange.TradingSince, raw)
            : since > now ? new FieldError("datetime_past", ["query", "since"], "Input should be in the past", raw)
            : null;
        if (error is not null)
        {
            var after = Array.FindIndex(TradeSyncParams, p => p.Name == "since");
            var at = q.Errors.FindIndex(e => Array.FindIndex(TradeSyncParams, p => p.Name == (string)e.Loc[1]) > after);
            q.Errors.Insert(at < 0 ? q.Errors.Count : at, error);
        }
        return q;
    }

    private static FieldError SinceBefore(DateTimeOffset floor, string? raw)
    {
        var ge = floor.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return new FieldError("greater_than_equal", ["query", "since"], $"Input should be greater than or equal to {ge}", raw,
            new Dictionary<string, object?> { ["ge"] = ge });
    }

    private static async Task<IResult> SyncTrades(HttpContext http, ServiceCalls calls, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var q = ReadTradeSync(http.Request, clock.GetUtcNow());
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var exchange = q.Exchange("exchange")!.Id;
        var symbol = q.String("symbol");
        var user = http.UserId();
        var credential = CredentialOf(q, out var malformed);
        if (malformed)
            return ApiResults.Ok(new TradeSyncResponse(false, user, exchange, symbol, 0, 0, clock.GetUtcNow(),
                $"Credential {q.String("credential_id")} not found for {exchange}", "no_credentials"));

        var command = new SyncTrades(exchange, credential, symbol, q.DateTime("since"), (int)q.Integer("limit")!.Value);
        var answer = await calls.SendCommandAsync<TradeSyncResult>(Service, user, command, SyncWait(configuration), ct);
        if (!answer.Answered && !answer.TimedOut) return answer.Failure!;
        var result = answer.Reply;
        return result is null
            ? ApiResults.Ok(new TradeSyncResponse(true, user, exchange, symbol, 0, 0, clock.GetUtcNow(), StillRunning, null))
            : ApiResults.Ok(new TradeSyncResponse(result.Success, user, result.Exchange, result.Symbol, result.TradesSynced, result.TradesDuplicate,
                result.Timestamp, result.Error, result.ErrorType));
    }

    /// <summary>A sync calls an exchange, pages through its rate limits and waits out its retries: it gets the sync wait.</summary>
    private static TimeSpan SyncWait(IConfiguration configuration) => TimeSpan.FromSeconds(configuration.GetValue(SyncWaitSetting, 30.0));

    private static async Task<IResult> GetTrades(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, TradeParams);
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var exchange = q.Exchange("exchange")!.Id;
        var symbol = q.String("symbol") is { } raw ? SymbolParser.TryParse(raw, null, out var unified) ? unified.Value.ToString() : raw.Trim().ToUpperInvariant() : null;
        var limit = (int)q.Integer("limit")!.Value;
        var offset = (int)q.Integer("offset")!.Value;
        var answer = await calls.QueryAsync<TradeList>(Service, http.UserId(), new GetTrades(exchange, symbol, q.DateTime("start_date"), q.DateTime("end_date"), limit, offset), ct);
        if (!answer.Answered) return answer.Failure!;
        var trades = answer.Reply!.Trades.Select(TradeResponse.From).ToList();
        return ApiResults.Ok(new TradeListResponse(trades, exchange, symbol, answer.Reply.TotalRecords, offset + trades.Count < answer.Reply.TotalRecords));
    }

    private static async Task<IResult> GetStats(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, StatsParams);
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var exchange = q.Exchange("exchange")?.Id;
        var (start, end) = (q.DateTime("start_date"), q.DateTime("end_date"));
        var answer = await calls.QueryAsync<TradeStats>(Service, http.UserId(), new GetTradeStats(exchange, start, end), ct);
        if (!answer.Answered) return answer.Failure!;
        var s = answer.Reply!;
        return ApiResults.Ok(new TradeStatsResponse(s.TotalTrades, s.BuyCount, s.SellCount, s.TotalVolume, s.TotalFees, s.SyncedCount, s.FailedCount,
            s.FirstTrade, s.LastTrade, exchange, start, end));
    }

    private static async Task<IResult> GetSyncStatus(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, StatusParams);
        if (!q.IsValid) return ApiResults.Invalid(q.Errors);
        var answer = await calls.QueryAsync<SyncStatusList>(Service, http.UserId(), new GetSyncStatus(q.Exchange("exchange")?.Id), ct);
        if (!answer.Answered) return answer.Failure!;
        var accounts = answer.Reply!.Accounts.Select(a => new AccountSyncStatusResponse(a.Exchange, a.CredentialId, a.LastBalanceSync, a.CurrenciesSynced,
            a.LastTradeSync, a.TradesStored, a.BalanceSyncs, a.TradePagesStored, a.Failures, a.ConsecutiveFailures,
            a.LastFailure is { } f ? new SyncFailureResponse(f.At, f.Operation, f.ErrorType, f.Error) : null, a.CurrentThrough,
            a.RunningTradeSync is { } r ? new RunningTradeSyncResponse(r.RunId, r.Symbol, r.StartedAt, r.MarketsPlanned, r.MarketsDone, r.Pages, r.TradesSoFar, r.LastProgressAt) : null)).ToList();
        return ApiResults.Ok(new SyncStatusResponse(accounts, accounts.Count));
    }

    /// <summary>binance or binanceus (any spelling the catalog accepts); anything else is the 400 detail.</summary>
    private static string? BinanceVenueOf(string? raw, out string detail)
    {
        detail = $"Binance account settings exist only for binance and binanceus, not '{raw}'";
        return ExchangeCatalog.TryResolve(raw, out var e) && e.Id is "binance" or "binanceus" ? e.Id : null;
    }

    private static IResult Settings<T>(ServiceAnswer<T> answer, AccountSettingOutcome outcome, string? detail, string? errorType, Func<IResult> ok)
    {
        if (!answer.Answered) return answer.Failure!;
        return outcome switch
        {
            AccountSettingOutcome.Ok => ok(),
            AccountSettingOutcome.Unsupported => ApiResults.Detail(StatusCodes.Status400BadRequest, detail!),
            AccountSettingOutcome.NoCredentials => ApiResults.Detail(StatusCodes.Status400BadRequest, detail + " (error_type no_credentials)"),
            _ => ApiResults.Detail(errorType switch
            {
                "auth_error" or "permission_denied" => StatusCodes.Status400BadRequest,
                "rate_limited" => StatusCodes.Status429TooManyRequests,
                "network_error" or "exchange_unavailable" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            }, $"{detail} (error_type {errorType})"),
        };
    }

    private static async Task<IResult> GetBnbBurn(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, [BinanceVenue]);
        if (BinanceVenueOf(q.String("exchange"), out var refusal) is not { } exchange) return ApiResults.Detail(StatusCodes.Status400BadRequest, refusal);
        var answer = await calls.QueryAsync<BnbBurnReply>(Service, http.UserId(), new GetBnbBurn(exchange), ct);
        var r = answer.Reply;
        return Settings(answer, r?.Outcome ?? default, r?.Detail, r?.ErrorType, () => ApiResults.Ok(new BnbBurnResponse(exchange, r!.SpotBnbBurn, r.InterestBnbBurn)));
    }

    private static async Task<IResult> SetBnbBurn(HttpContext http, ServiceCalls calls, GatewayOptions options, CancellationToken ct)
    {
        var body = await BodyValues.ReadAsync(http.Request, BnbBurnBody, options.MaxRequestBodyBytes, ct);
        if (!body.IsValid) return ApiResults.Invalid(body.Errors);
        if (BinanceVenueOf(body.String("exchange"), out var refusal) is not { } exchange) return ApiResults.Detail(StatusCodes.Status400BadRequest, refusal);
        var answer = await calls.SendCommandAsync<BnbBurnReply>(Service, http.UserId(), new SetBnbBurn(exchange, body.Boolean("spot_bnb_burn")!.Value), ct);
        var r = answer.Reply;
        return Settings(answer, r?.Outcome ?? default, r?.Detail, r?.ErrorType, () => ApiResults.Ok(new BnbBurnResponse(exchange, r!.SpotBnbBurn, r.InterestBnbBurn)));
    }

    private static async Task<IResult> GetDust(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var q = ParamValues.Read(http.Request, [BinanceVenue]);
        if (BinanceVenueOf(q.String("exchange"), out var refusal) is not { } exchange) return ApiResults.Detail(StatusCodes.Status400BadRequest, refusal);
        var answer = await calls.QueryAsync<DustAssetsReply>(Service, http.UserId(), new GetDustAssets(exchange), ct);
        var r = answer.Reply;
        return Settings(answer, r?.Outcome ?? default, r?.Detail, r?.ErrorType, () => ApiResults.Ok(new DustAssetsResponse(exchange,
            r!.Assets.Select(a => new DustAssetResponse(a.Asset, a.Free, a.ToBtc, a.ToBnb)).ToList(), r.TotalToBtc, r.TotalToBnb)));
    }
}
