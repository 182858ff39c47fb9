using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Bitfinex;

public sealed class BitfinexModule : IExchangeModule
{
    // Bitfinex was founded and opened in 2012 (CoinDesk, its own history); no day is published, hence the year's first.
    public ExchangeDescriptor Descriptor { get; } =
        new("bitfinex", "Bitfinex", "https://www.bitfinex.com", "https://api.bitfinex.com", false, [], 0.001m, 0.002m,
            ExchangeCapabilitySets.Standard, ExchangeDescriptor.UtcDay(2012, 1, 1));

    // Bitfinex per minute and endpoint: 90 on the authenticated reads used, 10-90 per IP on public ones (blocked 60 s
    // past it); a counter admits max + rate x 60 in a minute: 30 + 60 <= 90, 10 + 20 <= 30.
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_requests", "decay", limit ?? 30, drain ?? 1, "Bitfinex allows 90 per minute per authenticated endpoint"),
        new("public_requests", "decay", 10, 0.33, "Bitfinex allows 10 to 90 per minute per IP and endpoint"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new BitfinexClient(parts.Descriptor, parts.Transport, new BitfinexRateLimits(parts.Counter(0), parts.Counter(1)),
            NonceSource.Microseconds(parts.Time), parts.Time);
}
