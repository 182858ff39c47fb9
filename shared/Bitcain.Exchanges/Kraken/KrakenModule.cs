using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Kraken;

public sealed class KrakenModule : IExchangeModule
{
    // Kraken's public launch, 2013-09-10 (kraken.com "About", the launch press release).
    public ExchangeDescriptor Descriptor { get; } =
        new("kraken", "Kraken", "https://www.kraken.com", "https://api.kraken.com", false, [], 0.0025m, 0.004m,
            ExchangeCapabilitySets.Standard, ExchangeDescriptor.UtcDay(2013, 9, 10));

    // Kraken's Starter tier, the lowest: counter max 15, decaying 0.33 per second (docs.kraken.com rest ratelimits).
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_call_counter", "decay", limit ?? 15, drain ?? 0.33, "Kraken Starter tier; TradesHistory counts 2"),
        new("public_call_counter", "decay", 10, 1, "Kraken public endpoints, per IP"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new KrakenClient(parts.Descriptor, parts.Transport, new KrakenRateLimits(parts.Counter(0), parts.Counter(1)),
            NonceSource.Milliseconds(parts.Time), parts.Time);
}
