using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Coinbase;

public sealed class CoinbaseModule : IExchangeModule
{
    // Coinbase Exchange (later GDAX, Coinbase Pro) launched 2015-01-26. Advanced Trade's fills reach back to an
    // account's first fill there, so the exchange's launch, not Advanced Trade's (2022), is the floor.
    public ExchangeDescriptor Descriptor { get; } =
        new("coinbase", "Coinbase Advanced Trade", "https://www.coinbase.com", "https://api.coinbase.com", false, [], 0.006m, 0.012m,
            ExchangeCapabilitySets.Standard, ExchangeDescriptor.UtcDay(2015, 1, 26));

    // Advanced Trade (docs.cdp.coinbase.com rate limits): 30 per second per key private, 10 per second per IP public.
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_requests", "decay", limit ?? 15, drain ?? 15, "Coinbase allows 30 per second per key"),
        new("public_requests", "decay", 5, 5, "Coinbase allows 10 per second per IP"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new CoinbaseClient(parts.Descriptor, parts.Transport, new CoinbaseRateLimits(parts.Counter(0), parts.Counter(1)), parts.Time);
}
