using Wolverine.Attributes;

namespace Bitcain.Contracts.Market;

// Queries of the market service: public exchange data, no user data. Each reply carries either its answer or a
// MarketFailure the gateway turns into the contract's status and detail.

/// <summary>Why the market service could not answer: the HTTP status the contract wants, a clear detail, and for
/// rate limits how long to wait.</summary>
public sealed record MarketFailure(int Status, string Detail, int? RetryAfterSeconds = null);

public sealed record MarketLimitsRange(decimal? Min, decimal? Max);

public sealed record MarketPrecisionInfo(decimal? Amount, decimal? Price);

public sealed record MarketLimitsInfo(MarketLimitsRange Amount, MarketLimitsRange Cost, MarketLimitsRange Price);

public sealed record MarketInfo(
    string Symbol,
    string ExchangeSymbol,
    string Base,
    string Quote,
    bool Active,
    MarketPrecisionInfo Precision,
    MarketLimitsInfo Limits,
    decimal? Maker,
    decimal? Taker);

[MessageIdentity("bitcain.market.get-markets.v1")]
public sealed record GetMarkets(string Exchange) : IMarketQuery;

[MessageIdentity("bitcain.market.market-list.v1")]
public sealed record MarketList(string Exchange, IReadOnlyList<MarketInfo> Markets, DateTimeOffset? FetchedAt, MarketFailure? Failure) : IServiceReply;

[MessageIdentity("bitcain.market.get-ticker.v1")]
public sealed record GetTicker(string Exchange, string Symbol) : IMarketQuery;

public sealed record TickerInfo(
    string Exchange,
    string Symbol,
    string ExchangeSymbol,
    decimal? Bid,
    decimal? Ask,
    decimal? Last,
    decimal? Open,
    decimal? High,
    decimal? Low,
    decimal? BaseVolume,
    decimal? QuoteVolume,
    decimal? Change,
    decimal? ChangePercent,
    DateTimeOffset Timestamp);

[MessageIdentity("bitcain.market.ticker-reply.v1")]
public sealed record TickerReply(TickerInfo? Ticker, MarketFailure? Failure) : IServiceReply;

/// <summary>
/// Ways to turn <see cref="Base"/> into <see cref="Quote"/>. <see cref="ConnectedExchanges"/> are the exchanges where
/// the caller has an active credential: the gateway asks the credential service, so this service never needs user data.
/// </summary>
[MessageIdentity("bitcain.market.find-routes.v1")]
public sealed record FindRoutes(string Base, string Quote, decimal? Size, decimal? QuoteSize, IReadOnlyList<string> ConnectedExchanges) : IMarketQuery;

public sealed record RouteLegInfo(string Exchange, string Symbol, string Side, decimal? MinAmount, decimal? MinCost, decimal TakerFee);

public sealed record RouteInfo(
    string Exchange,
    string Type,
    IReadOnlyList<string> Path,
    IReadOnlyList<RouteLegInfo> Legs,
    decimal EstimatedFee,
    decimal? MinAmount,
    decimal? MinCost,
    bool Connected);

[MessageIdentity("bitcain.market.route-list.v1")]
public sealed record RouteList(string Base, string Quote, IReadOnlyList<RouteInfo> Routes, IReadOnlyList<string> UnavailableExchanges) : IServiceReply;

public sealed record ExchangeHealthInfo(string Exchange, string Status, double? LatencyMs, DateTimeOffset CheckedAt, string? Error, bool Cached);

[MessageIdentity("bitcain.market.get-exchange-health.v1")]
public sealed record GetExchangeHealth(string? Exchange, bool ForceRefresh) : IMarketQuery;

[MessageIdentity("bitcain.market.exchange-health-report.v1")]
public sealed record ExchangeHealthReport(string Status, IReadOnlyList<ExchangeHealthInfo> Exchanges, DateTimeOffset CheckedAt) : IServiceReply;

[MessageIdentity("bitcain.market.get-exchange-info.v1")]
public sealed record GetExchangeInfo(string Exchange) : IMarketQuery;

public sealed record RateLimitRule(string Type, string Interval, int Limit, string Description);

[MessageIdentity("bitcain.market.exchange-info.v1")]
public sealed record ExchangeInfo(
    string Id,
    string Name,
    string Website,
    string ApiBaseUrl,
    bool HasClient,
    IReadOnlyList<RateLimitRule> RateLimits,
    decimal MakerFee,
    decimal TakerFee,
    IReadOnlyList<string> Features,
    ExchangeHealthInfo Health) : IServiceReply;

/// <summary>When exchanges were unavailable: the health transitions the market service recorded (for the audit trail).</summary>
[MessageIdentity("bitcain.market.get-exchange-health-events.v1")]
public sealed record GetExchangeHealthEvents(string? Exchange, DateTimeOffset? From, DateTimeOffset? To, int Limit = 100, int Offset = 0) : IMarketQuery;

public sealed record ExchangeHealthEventInfo(long Sequence, Guid StreamId, string EventType, DateTimeOffset Timestamp, string Exchange,
    string From, string To, string? Error);

[MessageIdentity("bitcain.market.exchange-health-events.v1")]
public sealed record ExchangeHealthEvents(IReadOnlyList<ExchangeHealthEventInfo> Events, int TotalRecords) : IServiceReply;
