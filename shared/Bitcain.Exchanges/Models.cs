namespace Bitcain.Exchanges;

public sealed record MinMax(decimal? Min, decimal? Max)
{
    public static MinMax None { get; } = new(null, null);
}

/// <summary>ccxt's TICK_SIZE precision mode: each value is the step itself (0.01), not a count of decimals.</summary>
public sealed record MarketPrecision(decimal? Amount, decimal? Price);

public sealed record MarketLimits(MinMax Amount, MinMax Cost, MinMax Price);

/// <summary>The contract's unified market structure.</summary>
public sealed record Market(
    string Symbol,
    string ExchangeSymbol,
    string Base,
    string Quote,
    bool Active,
    MarketPrecision Precision,
    MarketLimits Limits,
    decimal? Maker,
    decimal? Taker);

public sealed record Ticker(
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

public sealed record Balance(string Currency, decimal Free, decimal Locked)
{
    public decimal Total => Free + Locked;
}

public enum TradeSide { Buy, Sell }

public enum TradeLiquidity { Maker, Taker }

public sealed record Trade(
    string Id,
    string? OrderId,
    string Symbol,
    string ExchangeSymbol,
    TradeSide Side,
    decimal Price,
    decimal Amount,
    decimal Cost,
    decimal? Fee,
    string? FeeCurrency,
    DateTimeOffset Timestamp,
    TradeLiquidity? Liquidity);

/// <summary>
/// What to fetch of the caller's own trades. <see cref="Since"/> and <see cref="FromTradeId"/> are alternatives;
/// <see cref="PageSize"/> is what is asked of the exchange per call, capped at the exchange's own maximum (Kraken
/// always sends 50). <see cref="Cursor"/>, a <see cref="TradePage.NextCursor"/> from an earlier run with the same
/// symbol and since, resumes where that run stopped.
/// </summary>
public sealed record MyTradesQuery(string? Symbol = null, DateTimeOffset? Since = null, string? FromTradeId = null, int PageSize = 100, string? Cursor = null);

/// <summary>One page as the exchange returned it. <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record TradePage(IReadOnlyList<Trade> Trades, string? NextCursor);

public sealed record KeyPermissions(bool Read, bool Trade, bool Withdraw)
{
    /// <summary>The contract's permission names: a subset of <c>read</c>, <c>trade</c>, <c>withdraw</c>.</summary>
    public IReadOnlyList<string> Names =>
        new[] { (Read, "read"), (Trade, "trade"), (Withdraw, "withdraw") }.Where(p => p.Item1).Select(p => p.Item2).ToList();
}

public enum ExchangeSystemStatus { Normal, Maintenance, Limited }

/// <summary><see cref="ServerTime"/> is null when the exchange is in maintenance and does not answer its time endpoint either.</summary>
public sealed record ExchangeHealth(ExchangeSystemStatus Status, string? Message, DateTimeOffset? ServerTime, TimeSpan Latency);

public sealed record BnbBurnSettings(bool SpotBnbBurn, bool InterestBnbBurn);

public sealed record DustAsset(string Asset, decimal Free, decimal? ToBtc, decimal? ToBnb);

public sealed record DustAssets(IReadOnlyList<DustAsset> Assets, decimal? TotalToBtc, decimal? TotalToBnb);
