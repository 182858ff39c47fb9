using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Binance;

/// <summary>
/// Binance spot and Binance.US: one protocol and one client, two venues with their own host, fees, budgets and
/// capabilities, so this folder's module comes as two.
/// </summary>
public sealed class BinanceModule : IExchangeModule
{
    private readonly Func<int?, IReadOnlyList<RateBudget>> budgets;

    private BinanceModule(ExchangeDescriptor descriptor, Func<int?, IReadOnlyList<RateBudget>> budgets) =>
        (Descriptor, this.budgets) = (descriptor, budgets);

    // Binance opened trading on 2017-07-14 (its own "Binance Launch" announcement and every anniversary post since).
    public static BinanceModule Binance { get; } = new(
        new("binance", "Binance", "https://www.binance.com", "https://api.binance.com", false, [], 0.001m, 0.001m,
            ExchangeCapabilitySets.Standard | ExchangeCapabilities.BnbBurn | ExchangeCapabilities.DustAssets,
            ExchangeDescriptor.UtcDay(2017, 7, 14)),
        // REQUEST_WEIGHT per minute: exchangeInfo rateLimits; SAPI IP weight: developers.binance.com "LIMITS".
        limit =>
        [
            new("request_weight", "1m", limit ?? 6000, null, "REST request weight per minute for /api endpoints"),
            new("sapi_ip_weight", "1m", 12000, null, "IP weight per minute for /sapi endpoints"),
        ]);

    /// <summary>
    /// Binance.US has no BNB burn switch: neither its API docs (binance-us/binance-us-api-docs @ 6b62304, rest-api.md
    /// and wapi-api.md) nor ccxt's binanceus API map (ts/src/binanceus.ts @ 0118f18) have <c>/sapi/v1/bnbBurn</c>.
    /// It has no <c>/sapi/v1/account/apiRestrictions</c> either, so key permissions come from <c>/api/v3/account</c>'s
    /// <c>canTrade</c>/<c>canWithdraw</c> (documented in its rest-api.md), and dust from its own
    /// <c>/sapi/v1/asset/query/dust-assets</c> (ccxt's map) instead of Binance's <c>dust-btc</c>.
    /// Binance.US opened trading on 2019-09-18 (its launch announcement); it shares no history with binance.com.
    /// </summary>
    public static BinanceModule BinanceUs { get; } = new(
        new("binanceus", "Binance.US", "https://www.binance.us", "https://api.binance.us", false, ["binance_us"], 0.006m, 0.006m,
            ExchangeCapabilitySets.Standard | ExchangeCapabilities.DustAssets, ExchangeDescriptor.UtcDay(2019, 9, 18)),
        // Binance.US publishes one weight (its rest-api.md) and none for /sapi, so /api's budget covers both.
        limit =>
        [
            new("request_weight", "1m", limit ?? 1200, null, "REST request weight per minute for /api and /sapi endpoints"),
        ]);

    public ExchangeDescriptor Descriptor { get; }

    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) => budgets(limit);

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new BinanceClient(parts.Descriptor, parts.Transport, new BinanceRateLimits(parts.Weight(0), parts.Weight(^1)), parts.Time);
}
