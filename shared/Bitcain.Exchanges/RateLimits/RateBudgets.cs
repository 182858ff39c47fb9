using System.Globalization;

namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// One budget a client keeps: a request weight per one-minute window (<c>Interval = "1m"</c>) or a counter that admits
/// <see cref="Limit"/> at once and drains <see cref="DrainPerSecond"/> per second (<c>Interval = "decay"</c>).
/// </summary>
public sealed record RateBudget(string Type, string Interval, int Limit, double? DrainPerSecond, string Published)
{
    /// <param name="exchange">Names the budget's waits in the metrics (<c>bitcain.exchange.rate_limit.wait.duration</c>).</param>
    public DecayingCallCounter Counter(TimeProvider time, string? exchange = null) =>
        new(Limit, DrainPerSecond ?? throw new InvalidOperationException($"{Type} is a per-minute weight, not a draining counter"), time)
        {
            Exchange = exchange,
            Budget = Type,
        };

    public RequestWeightLimiter Weight(TimeProvider time, string? exchange = null) => new(Limit, time) { Exchange = exchange, Budget = Type };

    /// <summary>What <c>/info</c> tells a user: our budget, then the exchange's published limit it stays within.</summary>
    public string Description => DrainPerSecond is { } drain
        ? $"{Limit} at once, draining {drain.ToString(CultureInfo.InvariantCulture)} per second ({Published})"
        : Published;
}

/// <summary>
/// Every exchange's budgets, as its module (<see cref="IExchangeModule.RateBudgets"/>) states them: the clients are built
/// from them and <c>/api/exchange/{exchange}/info</c> reports them, so what a user is told is what the client enforces.
/// The first budget is the key's own and is the one <c>Exchanges:&lt;id&gt;:RateLimit</c> and <c>RateDecayPerSecond</c>
/// override. A draining counter admits its maximum plus its rate within one second, so both are about half the
/// exchange's limit.
/// </summary>
public static class RateBudgets
{
    public static IReadOnlyList<RateBudget> Of(string exchange, int? limit = null, double? drain = null) =>
        ExchangeModules.TryGet(exchange, out var module) ? module.RateBudgets(limit, drain) : [];
}
