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
/// Every exchange's budgets in one table: the clients are built from it and <c>/api/exchange/{exchange}/info</c> reports it,
/// so what a user is told is what the client enforces. The first budget is the key's own and is the one
/// <c>Exchanges:&lt;id&gt;:RateLimit</c> and <c>RateDecayPerSecond</c> override. A draining counter admits its maximum plus
/// its rate within one second, so both are about half the exchange's limit.
/// </summary>
public static class RateBudgets
{
    public static IReadOnlyList<RateBudget> Of(string exchange, int? limit = null, double? drain = null) => exchange switch
    {
        // REQUEST_WEIGHT per minute: exchangeInfo rateLimits; SAPI IP weight: developers.binance.com "LIMITS".
        "binance" =>
        [
            new("request_weight", "1m", limit ?? 6000, null, "REST request weight per minute for /api endpoints"),
            new("sapi_ip_weight", "1m", 12000, null, "IP weight per minute for /sapi endpoints"),
        ],
        // Binance.US publishes one weight (its rest-api.md) and none for /sapi, so /api's budget covers both.
        "binanceus" =>
        [
            new("request_weight", "1m", limit ?? 1200, null, "REST request weight per minute for /api and /sapi endpoints"),
        ],
        // Kraken's Starter tier, the lowest: counter max 15, decaying 0.33 per second (docs.kraken.com rest ratelimits).
        "kraken" =>
        [
            new("private_call_counter", "decay", limit ?? 15, drain ?? 0.33, "Kraken Starter tier; TradesHistory counts 2"),
            new("public_call_counter", "decay", 10, 1, "Kraken public endpoints, per IP"),
        ],
        // docs/v5/rate-limit: 10 per second per UID on the private calls used, 600 per 5 s per IP.
        "bybit" =>
        [
            new("private_requests", "decay", limit ?? 5, drain ?? 5, "Bybit allows 10 per second per UID"),
            new("public_requests", "decay", 300, 60, "Bybit allows 600 per 5 s per IP"),
        ],
        // OKX v5 limits per 2 s: 5 per user on account/config, 10 on balance and fills-history; 20 per IP public.
        "okx" =>
        [
            new("private_requests", "decay", limit ?? 3, drain ?? 1, "OKX allows 5 per 2 s per user on account/config"),
            new("public_requests", "decay", 10, 5, "OKX allows 20 per 2 s per IP"),
        ],
        // KuCoin VIP0 pools per 30 s: 4000 private weight per UID, 2000 public per IP.
        "kucoin" =>
        [
            new("private_weight", "decay", limit ?? 2000, drain ?? 33, "KuCoin VIP0 allows weight 4000 per 30 s per UID"),
            new("public_weight", "decay", 1000, 16, "KuCoin allows weight 2000 per 30 s per IP"),
        ],
        // Gate.io: 200 requests per 10 s per endpoint.
        "gate_io" =>
        [
            new("private_requests", "decay", limit ?? 50, drain ?? 10, "Gate.io allows 200 per 10 s per endpoint"),
            new("public_requests", "decay", 50, 10, "Gate.io allows 200 per 10 s per endpoint"),
        ],
        // Bitfinex per minute and endpoint: 90 on the authenticated reads used, 10-90 per IP on public ones (blocked 60 s
        // past it); a counter admits max + rate x 60 in a minute: 30 + 60 <= 90, 10 + 20 <= 30.
        "bitfinex" =>
        [
            new("private_requests", "decay", limit ?? 30, drain ?? 1, "Bitfinex allows 90 per minute per authenticated endpoint"),
            new("public_requests", "decay", 10, 0.33, "Bitfinex allows 10 to 90 per minute per IP and endpoint"),
        ],
        // Advanced Trade (docs.cdp.coinbase.com rate limits): 30 per second per key private, 10 per second per IP public.
        "coinbase" =>
        [
            new("private_requests", "decay", limit ?? 15, drain ?? 15, "Coinbase allows 30 per second per key"),
            new("public_requests", "decay", 5, 5, "Coinbase allows 10 per second per IP"),
        ],
        _ => [],
    };
}
