using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Okx;

public sealed class OkxModule : IExchangeModule
{
    // OKX began as OKEx in 2017, spun off OKCoin; no day is published, hence the year's first. Its keys sign with a
    // passphrase.
    public ExchangeDescriptor Descriptor { get; } =
        new("okx", "OKX", "https://www.okx.com", "https://www.okx.com", true, [], 0.0008m, 0.001m,
            ExchangeCapabilitySets.Standard, ExchangeDescriptor.UtcDay(2017, 1, 1));

    // OKX v5 limits per 2 s: 5 per user on account/config, 10 on balance and fills-history; 20 per IP public.
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_requests", "decay", limit ?? 3, drain ?? 1, "OKX allows 5 per 2 s per user on account/config"),
        new("public_requests", "decay", 10, 5, "OKX allows 20 per 2 s per IP"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new OkxClient(parts.Descriptor, parts.Transport, new OkxRateLimits(parts.Counter(0), parts.Counter(1)), parts.Time);
}
