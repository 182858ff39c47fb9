using Bitcain.Contracts.Market;
using Bitcain.Exchanges;

namespace Bitcain.Market.ExchangeHealth;

public static class GetExchangeHealthHandler
{
    /// <summary>
    /// Every exchange of the catalog is reported; those without a client are <c>down</c> with "no client for this
    /// exchange yet", and the overall status counts only exchanges that have a client.
    /// </summary>
    public static async Task<ExchangeHealthReport> Handle(GetExchangeHealth query, ExchangeHealthMonitor monitor, IExchangeClients clients, TimeProvider time)
    {
        var exchanges = query.Exchange is null
            ? ExchangeCatalog.All
            : ExchangeCatalog.TryResolve(query.Exchange, out var one) ? [one] : [];
        var checks = await Task.WhenAll(exchanges.Select(e => monitor.CheckAsync(e, query.ForceRefresh)));
        var overall = HealthStatus.Overall(checks.Where(c => clients.TryGet(c.Exchange, out _)).Select(c => c.Status));
        if (query.Exchange is not null && checks.Length == 1) overall = checks[0].Status;
        return new ExchangeHealthReport(overall, checks, time.GetUtcNow());
    }
}
