using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Exchanges.RateLimits;
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

    /// <summary>The budgets the client enforces: the same table the clients are built from.</summary>
    public static IReadOnlyList<RateLimitRule> RateLimits(string exchange, int? configured, double? decay) =>
        RateBudgets.Of(exchange, configured, decay).Select(b => new RateLimitRule(b.Type, b.Interval, b.Limit, b.Description)).ToList();
}
