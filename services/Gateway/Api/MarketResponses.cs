using Bitcain.Contracts.Market;
using Bitcain.Exchanges;

namespace Bitcain.Gateway.Api;

// The market endpoints' response shapes (snake_case on the wire). Markets and tickers keep ccxt's unified structure.

public sealed record MarketsResponse(IReadOnlyList<MarketInfo> Markets, int Count, string Exchange, DateTimeOffset? FetchedAt);

public sealed record TickerResponse(
    string Exchange, string Symbol, string ExchangeSymbol, decimal? Bid, decimal? Ask, decimal? Last, decimal? Open, decimal? High,
    decimal? Low, decimal? BaseVolume, decimal? QuoteVolume, decimal? Change, decimal? ChangePercent, DateTimeOffset Timestamp)
{
    public static TickerResponse From(TickerInfo t) => new(t.Exchange, t.Symbol, t.ExchangeSymbol, t.Bid, t.Ask, t.Last, t.Open, t.High, t.Low,
        t.BaseVolume, t.QuoteVolume, t.Change, t.ChangePercent, t.Timestamp);
}

public sealed record RouteLegResponse(string Exchange, string Symbol, string Side, decimal? MinAmount, decimal? MinCost, decimal TakerFee);

/// <summary><c>min_amount</c> is in the base asset and <c>min_cost</c> in the quote asset: the smallest trade every leg accepts.</summary>
public sealed record RouteResponse(
    string Exchange, string Type, IReadOnlyList<string> Path, IReadOnlyList<RouteLegResponse> Legs, decimal EstimatedFee,
    decimal? MinAmount, decimal? MinCost, bool Connected)
{
    public static RouteResponse From(RouteInfo r) => new(r.Exchange, r.Type, r.Path,
        r.Legs.Select(l => new RouteLegResponse(l.Exchange, l.Symbol, l.Side, l.MinAmount, l.MinCost, l.TakerFee)).ToList(),
        r.EstimatedFee, r.MinAmount, r.MinCost, r.Connected);
}

public sealed record RoutesResponse(
    string Base, string Quote, decimal? Size, decimal? QuoteSize, IReadOnlyList<RouteResponse> Routes, int Count,
    IReadOnlyList<string> UnavailableExchanges);

public sealed record ExchangeHealthResponse(string Exchange, string Status, double? LatencyMs, DateTimeOffset CheckedAt, string? Error, bool Cached)
{
    public static ExchangeHealthResponse From(ExchangeHealthInfo h) => new(h.Exchange, h.Status, h.LatencyMs, h.CheckedAt, h.Error, h.Cached);
}

public sealed record HealthReportResponse(string Status, IReadOnlyDictionary<string, ExchangeHealthResponse> Exchanges, DateTimeOffset CheckedAt)
{
    public static HealthReportResponse From(ExchangeHealthReport r) => new(r.Status, r.Exchanges.ToDictionary(e => e.Exchange, ExchangeHealthResponse.From), r.CheckedAt);
}

public sealed record RateLimitResponse(string Type, string Interval, int Limit, string Description);

public sealed record ExchangeInfoResponse(
    string Id, string Name, string Website, string ApiBaseUrl, bool HasClient, IReadOnlyList<RateLimitResponse> RateLimits,
    decimal MakerFee, decimal TakerFee, IReadOnlyList<string> Features, ExchangeHealthResponse Health, DateTimeOffset TradingSince)
{
    // trading_since comes from the gateway's own catalog: a static fact, and the very floor the gateway checks `since` against.
    public static ExchangeInfoResponse From(ExchangeInfo i) => new(i.Id, i.Name, i.Website, i.ApiBaseUrl, i.HasClient,
        i.RateLimits.Select(r => new RateLimitResponse(r.Type, r.Interval, r.Limit, r.Description)).ToList(),
        i.MakerFee, i.TakerFee, i.Features, ExchangeHealthResponse.From(i.Health), ExchangeCatalog.Get(i.Id).TradingSince);
}
