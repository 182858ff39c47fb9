using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;

namespace Bitcain.Gateway.Api;

/// <summary>Balances, trades and Binance account settings: the sync service's endpoints.</summary>
public static class SyncEndpoints
{
    private const string Service = "sync";

    /// <summary>
    /// What a trade sync that outlives the gateway's wait answers: 200, <c>success: true</c>, zero counts and this
    /// <c>error</c>. The sync keeps running in the sync service; its trades appear in <c>GET /api/exchange/trades</c>
    /// and its end in the audit events (and the <c>bitcain.sync.trades-synced.v1</c> event). Poll those; do not retry.
    /// </summary>
    public const string StillRunning = "sync still running: the exchange has more pages than fit in this request's wait; " +
                                       "the sync continues in the background and its trades appear in GET /api/exchange/trades as they are stored";

    private const string BinanceOnly = "binance only: Binance.US offers no BNB-burn API, so exchange=binanceus (the default) answers 400.";

    public static void MapSyncEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/balance/sync", SyncBalance).WithName("sync_balance").WithSummary("Sync Balance");
        api.MapGet("/balance", GetBalance).WithName("get_balance").WithSummary("Get Balance");
        api.MapGet("/balance/history", GetHistory).WithName("get_balance_history").WithSummary("Get Balance History");
        api.MapPost("/trades/sync", SyncTrades).WithName("sync_trades").WithSummary("Sync Trades")
            .WithDescription("A sync longer than the gateway's wait (Gateway:SyncWaitSeconds, default 30 s) answers 200 with success true, zero counts and error \"sync still running: ...\"; " +
                             "it keeps running and its trades appear in GET /api/exchange/trades.");
        api.MapGet("/trades", GetTrades).WithName("get_trades").WithSummary("Get Trades");
        api.MapGet("/trades/stats", GetStats).WithName("get_trade_stats").WithSummary("Get Trade Stats");
        api.MapGet("/sync/status", GetSyncStatus).WithName("get_sync_status").WithSummary("Get Sync Status")
            .WithDescription("Beyond the reference: per exchange account, the last balance and trade syncs, counts, and the last failure. " +
                             "Served by an asynchronous projection, so it may trail the latest sync by a moment (current_through: the last event it includes).");
        api.MapGet("/bnb-burn", GetBnbBurn).WithName("get_bnb_burn").WithSummary("Get Bnb Burn").WithDescription(BinanceOnly);
        api.MapPost("/bnb-burn", SetBnbBurn).WithName("set_bnb_burn").WithSummary("Set Bnb Burn").WithDescription(BinanceOnly);
        api.MapGet("/dust-assets", GetDust).WithName("get_dustable_assets").WithSummary("Get Dustable Assets");
    }

    // Not one of this user's credential ids: it names no credential, as an unknown id does.
    private static Guid? CredentialOf(string? raw, out bool malformed)
    {
        malformed = raw is not null && !Guid.TryParse(raw, out _);
        return raw is not null && Guid.TryParse(raw, out var id) ? id : null;
    }

    private static async Task<Results<Ok<BalanceSyncResponse>, JsonHttpResult<ErrorDetail>>> SyncBalance(BalanceSyncQuery q, ClaimsPrincipal principal,
        ServiceCalls calls, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var exchange = q.Exchange.Id;
        var user = principal.Id();
        var credential = CredentialOf(q.CredentialId, out var malformed);
        if (malformed)
            return TypedResults.Ok(new BalanceSyncResponse(false, user, exchange, 0, new Dictionary<string, BalanceAmountResponse>(), clock.GetUtcNow(),
                $"Credential {q.CredentialId} not found for {exchange}", "no_credentials"));

        var answer = await calls.SendCommandAsync<BalanceSyncResult>(Service, user, new SyncBalances(exchange, credential), SyncWait(configuration), ct);
        if (!answer.Answered && !answer.TimedOut) return answer.Refusal();
        return answer.Reply is { } result
            ? TypedResults.Ok(BalanceSyncResponse.From(user, result))
            : EdgeResults.Detail(StatusCodes.Status504GatewayTimeout, "The balance sync did not finish in time; it continues in the sync service and its result will show in GET /api/exchange/balance.");
    }

    private static async Task<Results<Ok<BalanceResponse>, JsonHttpResult<ErrorDetail>>> GetBalance(BalanceQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var exchange = q.Exchange.Id;
        var currency = q.Currency?.ToUpperInvariant();
        var credential = CredentialOf(q.CredentialId, out var malformed);
        if (malformed) return TypedResults.Ok(new BalanceResponse(new Dictionary<string, CurrencyBalanceResponse>(), exchange, currency, null));

        var answer = await calls.QueryAsync<BalanceList>(Service, user.Id(), new GetBalances(exchange, currency, credential), ct);
        return answer.Ok(balances => BalanceResponse.From(balances, exchange, currency));
    }

    private static async Task<Results<Ok<BalanceHistoryResponse>, JsonHttpResult<ErrorDetail>>> GetHistory(BalanceHistoryQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var exchange = q.Exchange.Id;
        var currency = q.Currency.ToUpperInvariant();
        var answer = await calls.QueryAsync<BalanceHistory>(Service, user.Id(), new GetBalanceHistory(exchange, currency, q.StartDate, q.EndDate, q.Limit), ct);
        return answer.Ok(history => BalanceHistoryResponse.From(history, exchange, currency));
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
        var specs = TradeSyncQuery.Specs;
        var q = ParamValues.Read(request, specs);
        if (q.Value("exchange") is not ExchangeDescriptor exchange || q.DateTime("since") is not { } since) return q;
        var raw = request.Query["since"][^1];
        var error = since < exchange.TradingSince ? SinceBefore(exchange.TradingSince, raw)
            : since > now ? new FieldError("datetime_past", ["query", "since"], "Input should be in the past", raw)
            : null;
        if (error is not null)
        {
            var after = specs.ToList().FindIndex(p => p.Name == "since");
            var at = q.Errors.FindIndex(e => specs.ToList().FindIndex(p => p.Name == (string)e.Loc[1]) > after);
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

    private static async Task<Results<Ok<TradeSyncResponse>, JsonHttpResult<ErrorDetail>>> SyncTrades(TradeSyncQuery q, ClaimsPrincipal principal,
        ServiceCalls calls, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var exchange = q.Exchange.Id;
        var user = principal.Id();
        var credential = CredentialOf(q.CredentialId, out var malformed);
        if (malformed)
            return TypedResults.Ok(new TradeSyncResponse(false, user, exchange, q.Symbol, 0, 0, clock.GetUtcNow(),
                $"Credential {q.CredentialId} not found for {exchange}", "no_credentials"));

        var command = new SyncTrades(exchange, credential, q.Symbol, q.Since, q.Limit);
        var answer = await calls.SendCommandAsync<TradeSyncResult>(Service, user, command, SyncWait(configuration), ct);
        if (!answer.Answered && !answer.TimedOut) return answer.Refusal();
        return answer.Reply is not { } result
            ? TypedResults.Ok(new TradeSyncResponse(true, user, exchange, q.Symbol, 0, 0, clock.GetUtcNow(), StillRunning, null))
            : TypedResults.Ok(new TradeSyncResponse(result.Success, user, result.Exchange, result.Symbol, result.TradesSynced, result.TradesDuplicate,
                result.Timestamp, result.Error, result.ErrorType));
    }

    /// <summary>A sync calls an exchange, pages through its rate limits and waits out its retries: it gets the sync wait.</summary>
    private static TimeSpan SyncWait(IConfiguration configuration) => TimeSpan.FromSeconds(configuration.GetValue(SyncWaitSetting, 30.0));

    private static async Task<Results<Ok<TradeListResponse>, JsonHttpResult<ErrorDetail>>> GetTrades(TradesQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var exchange = q.Exchange.Id;
        var symbol = q.Symbol is { } raw ? SymbolParser.TryParse(raw, null, out var unified) ? unified.Value.ToString() : raw.Trim().ToUpperInvariant() : null;
        var answer = await calls.QueryAsync<TradeList>(Service, user.Id(), new GetTrades(exchange, symbol, q.StartDate, q.EndDate, q.Limit, q.Offset), ct);
        return answer.Ok(trades => TradeListResponse.From(trades, exchange, symbol, q.Offset));
    }

    private static async Task<Results<Ok<TradeStatsResponse>, JsonHttpResult<ErrorDetail>>> GetStats(TradeStatsQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<TradeStats>(Service, user.Id(), new GetTradeStats(q.Exchange?.Id, q.StartDate, q.EndDate), ct);
        return answer.Ok(stats => TradeStatsResponse.From(stats, q.Exchange?.Id, q.StartDate, q.EndDate));
    }

    private static async Task<Results<Ok<SyncStatusResponse>, JsonHttpResult<ErrorDetail>>> GetSyncStatus(SyncStatusQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<SyncStatusList>(Service, user.Id(), new GetSyncStatus(q.Exchange?.Id), ct);
        return answer.Ok(SyncStatusResponse.From);
    }

    /// <summary>binance or binanceus (any spelling the catalog accepts); anything else is the 400 detail.</summary>
    private static string? BinanceVenueOf(string? raw, out string detail)
    {
        detail = $"Binance account settings exist only for binance and binanceus, not '{raw}'";
        return ExchangeCatalog.TryResolve(raw, out var e) && e.Id is "binance" or "binanceus" ? e.Id : null;
    }

    private static Results<Ok<TResponse>, JsonHttpResult<ErrorDetail>> Settings<T, TResponse>(ServiceAnswer<T> answer, AccountSettingOutcome outcome,
        string? detail, string? errorType, Func<TResponse> ok)
    {
        if (!answer.Answered) return answer.Refusal();
        return outcome switch
        {
            AccountSettingOutcome.Ok => TypedResults.Ok(ok()),
            AccountSettingOutcome.Unsupported => EdgeResults.Detail(StatusCodes.Status400BadRequest, detail!),
            AccountSettingOutcome.NoCredentials => EdgeResults.Detail(StatusCodes.Status400BadRequest, detail + " (error_type no_credentials)"),
            _ => EdgeResults.Detail(errorType switch
            {
                "auth_error" or "permission_denied" => StatusCodes.Status400BadRequest,
                "rate_limited" => StatusCodes.Status429TooManyRequests,
                "network_error" or "exchange_unavailable" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            }, $"{detail} (error_type {errorType})"),
        };
    }

    private static async Task<Results<Ok<BnbBurnResponse>, JsonHttpResult<ErrorDetail>>> GetBnbBurn(BinanceVenueQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        if (BinanceVenueOf(q.Exchange, out var refusal) is not { } exchange) return EdgeResults.Detail(StatusCodes.Status400BadRequest, refusal);
        var answer = await calls.QueryAsync<BnbBurnReply>(Service, user.Id(), new GetBnbBurn(exchange), ct);
        var r = answer.Reply;
        return Settings(answer, r?.Outcome ?? default, r?.Detail, r?.ErrorType, () => new BnbBurnResponse(exchange, r!.SpotBnbBurn, r.InterestBnbBurn));
    }

    private static async Task<Results<Ok<BnbBurnResponse>, JsonHttpResult<ErrorDetail>>> SetBnbBurn(BnbBurnRequest body, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        if (BinanceVenueOf(body.Exchange, out var refusal) is not { } exchange) return EdgeResults.Detail(StatusCodes.Status400BadRequest, refusal);
        var answer = await calls.SendCommandAsync<BnbBurnReply>(Service, user.Id(), new SetBnbBurn(exchange, body.SpotBnbBurn), ct);
        var r = answer.Reply;
        return Settings(answer, r?.Outcome ?? default, r?.Detail, r?.ErrorType, () => new BnbBurnResponse(exchange, r!.SpotBnbBurn, r.InterestBnbBurn));
    }

    private static async Task<Results<Ok<DustAssetsResponse>, JsonHttpResult<ErrorDetail>>> GetDust(BinanceVenueQuery q, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        if (BinanceVenueOf(q.Exchange, out var refusal) is not { } exchange) return EdgeResults.Detail(StatusCodes.Status400BadRequest, refusal);
        var answer = await calls.QueryAsync<DustAssetsReply>(Service, user.Id(), new GetDustAssets(exchange), ct);
        var r = answer.Reply;
        return Settings(answer, r?.Outcome ?? default, r?.Detail, r?.ErrorType, () => new DustAssetsResponse(exchange,
            r!.Assets.Select(a => new DustAssetResponse(a.Asset, a.Free, a.ToBtc, a.ToBnb)).ToList(), r.TotalToBtc, r.TotalToBnb));
    }
}

public sealed record BalanceSyncQuery : EdgeQuery<BalanceSyncQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))] public ExchangeDescriptor Exchange { get; init; } = null!;
    [JsonPropertyName("credential_id")] public string? CredentialId { get; init; }
}

public sealed record BalanceQuery : EdgeQuery<BalanceQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))] public ExchangeDescriptor Exchange { get; init; } = null!;
    [JsonPropertyName("currency")] public string? Currency { get; init; }
    [JsonPropertyName("credential_id")] public string? CredentialId { get; init; }
}

public sealed record BalanceHistoryQuery : EdgeQuery<BalanceHistoryQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))] public ExchangeDescriptor Exchange { get; init; } = null!;
    [JsonPropertyName("currency"), Required] public string Currency { get; init; } = "";
    [JsonPropertyName("start_date")] public DateTimeOffset? StartDate { get; init; }
    [JsonPropertyName("end_date")] public DateTimeOffset? EndDate { get; init; }
    [JsonPropertyName("limit"), DefaultValue(100), Range(1, QueryBounds.MaxLimit)] public int Limit { get; init; } = 100;
}

public sealed record TradeSyncQuery : EdgeQuery<TradeSyncQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))] public ExchangeDescriptor Exchange { get; init; } = null!;
    [JsonPropertyName("credential_id")] public string? CredentialId { get; init; }
    [JsonPropertyName("symbol")] public string? Symbol { get; init; }

    [JsonPropertyName("since")]
    [Description("Not before the exchange's first day of trading (trading_since in GET /api/exchange/{exchange_name}/info), nor in the future")]
    public DateTimeOffset? Since { get; init; }

    [JsonPropertyName("limit"), DefaultValue(100), Range(1, QueryBounds.MaxTradePageSize), Description("Page size asked of the exchange, capped at its maximum")]
    public int Limit { get; init; } = 100;

    protected override ParamValues Read(HttpContext context) =>
        SyncEndpoints.ReadTradeSync(context.Request, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
}

public sealed record TradesQuery : EdgeQuery<TradesQuery>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName))] public ExchangeDescriptor Exchange { get; init; } = null!;
    [JsonPropertyName("symbol")] public string? Symbol { get; init; }
    [JsonPropertyName("start_date")] public DateTimeOffset? StartDate { get; init; }
    [JsonPropertyName("end_date")] public DateTimeOffset? EndDate { get; init; }
    [JsonPropertyName("limit"), DefaultValue(100), Range(1, QueryBounds.MaxLimit)] public int Limit { get; init; } = 100;

    [JsonPropertyName("offset"), DefaultValue(0), Range(0, QueryBounds.MaxOffset)]
    [Description("Trades to skip, newest first; past the bound narrow start_date/end_date instead")]
    public int Offset { get; init; }
}

public sealed record TradeStatsQuery : EdgeQuery<TradeStatsQuery>
{
    [JsonPropertyName("exchange"), ValueRule(typeof(ExchangeName))] public ExchangeDescriptor? Exchange { get; init; }
    [JsonPropertyName("start_date")] public DateTimeOffset? StartDate { get; init; }
    [JsonPropertyName("end_date")] public DateTimeOffset? EndDate { get; init; }
}

public sealed record SyncStatusQuery : EdgeQuery<SyncStatusQuery>
{
    [JsonPropertyName("exchange"), ValueRule(typeof(ExchangeName))] public ExchangeDescriptor? Exchange { get; init; }
}

public sealed record BinanceVenueQuery : EdgeQuery<BinanceVenueQuery>
{
    [JsonPropertyName("exchange"), DefaultValue("binanceus"), Description("Binance venue: 'binanceus' or 'binance'.")]
    public string Exchange { get; init; } = "binanceus";
}

public sealed record BnbBurnRequest : EdgeBody<BnbBurnRequest>
{
    [JsonPropertyName("spot_bnb_burn"), Required, Description("True to pay spot trading fees with BNB (the fee discount).")]
    public bool SpotBnbBurn { get; init; }

    [JsonPropertyName("exchange"), DefaultValue("binanceus"), Description("Binance venue: 'binanceus' or 'binance'.")]
    public string Exchange { get; init; } = "binanceus";
}
