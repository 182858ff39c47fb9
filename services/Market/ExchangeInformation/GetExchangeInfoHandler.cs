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
        _ => [],
    };
}
