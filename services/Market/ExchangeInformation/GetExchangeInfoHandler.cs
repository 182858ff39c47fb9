using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Market.ExchangeHealth;

namespace Bitcain.Market.ExchangeInformation;

public static class GetExchangeInfoHandler
{
    public static async Task<ExchangeInfo> Handle(GetExchangeInfo query, IExchangeClients clients, IConfiguration configuration, ExchangeHealthMonitor monitor)
    {
        var exchange = ExchangeCatalog.Get(query.Exchange);
        var hasClient = clients.TryGet(exchange.Id, out var client);
        var options = ExchangeServiceCollectionExtensions.ReadOptions(configuration, exchange.Id);
        var health = await monitor.CheckAsync(exchange, forceRefresh: false);
        return new ExchangeInfo(exchange.Id, exchange.Name, exchange.Website, options.BaseUrl, hasClient,
            hasClient ? RateLimits(exchange.Id, options.RateLimit, options.RateDecayPerSecond) : [],
            exchange.DefaultMakerFee, exchange.DefaultTakerFee,
            hasClient ? ExchangeCapabilityNames.Of(client.Capabilities) : [],
            health);
    }

    /// <summary>The budgets the client enforces, with the same defaults as <c>AddBitcainExchanges</c>.</summary>
    public static IReadOnlyList<RateLimitRule> RateLimits(string exchange, int? configured, double? decay) => exchange switch
    {
        "binance" =>
        [
            new("request_weight", "1m", configured ?? 6000, "REST request weight per minute for /api endpoints"),
            new("sapi_ip_weight", "1m", 12000, "IP weight per minute for /sapi endpoints"),
        ],
        "binanceus" =>
        [
            new("request_weight", "1m", configured ?? 1200, "REST request weight per minute for /api and /sapi endpoints"),
        ],
        "kraken" =>
        [
            new("private_call_counter", "decay", configured ?? 15,
                $"private calls raise a counter by 1 (TradesHistory by 2), decaying {(decay ?? 0.33).ToString(System.Globalization.CultureInfo.InvariantCulture)} per second"),
            new("public_call_counter", "decay", 10, "public calls, decaying 1 per second"),
        ],
        // The four below keep per-key draining counters (AddBitcainExchanges): a burst, then a steady rate.
        "bybit" =>
        [
            new("private_requests", "decay", configured ?? 5,
                $"private calls per key, draining {Rate(decay, 5)} per second (Bybit allows 10 per second per UID)"),
            new("public_requests", "decay", 300, "public calls, draining 60 per second (Bybit allows 600 per 5 s per IP)"),
        ],
        "okx" =>
        [
            new("private_requests", "decay", configured ?? 3,
                $"private calls per key, draining {Rate(decay, 1)} per second (OKX allows 5 per 2 s on account/config)"),
            new("public_requests", "decay", 10, "public calls, draining 5 per second (OKX allows 20 per 2 s per IP)"),
        ],
        "kucoin" =>
        [
            new("private_weight", "decay", configured ?? 2000,
                $"private request weight per key, draining {Rate(decay, 33)} per second (KuCoin VIP0 allows 4000 per 30 s)"),
            new("public_weight", "decay", 1000, "public request weight, draining 16 per second (KuCoin allows 2000 per 30 s per IP)"),
        ],
        "gate_io" =>
        [
            new("private_requests", "decay", configured ?? 50,
                $"private calls per key, draining {Rate(decay, 10)} per second (Gate.io allows 200 per 10 s per endpoint)"),
            new("public_requests", "decay", 50, "public calls, draining 10 per second (Gate.io allows 200 per 10 s per endpoint)"),
        ],
        _ => [],
    };

    private static string Rate(double? configured, double fallback) =>
        (configured ?? fallback).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
