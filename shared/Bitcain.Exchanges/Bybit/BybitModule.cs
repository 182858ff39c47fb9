using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Bybit;

public sealed class BybitModule : IExchangeModule
{
    // Bybit started with derivatives in 2018; spot trading (what the client syncs: category=spot) opened in July 2021,
    // announced without a single day that every source agrees on, hence the month's first day.
    public ExchangeDescriptor Descriptor { get; } =
        new("bybit", "Bybit", "https://www.bybit.com", "https://api.bybit.com", false, [], 0.001m, 0.001m,
            ExchangeCapabilitySets.Standard, ExchangeDescriptor.UtcDay(2021, 7, 1));

    // docs/v5/rate-limit: 10 per second per UID on the private calls used, 600 per 5 s per IP.
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_requests", "decay", limit ?? 5, drain ?? 5, "Bybit allows 10 per second per UID"),
        new("public_requests", "decay", 300, 60, "Bybit allows 600 per 5 s per IP"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new BybitClient(parts.Descriptor, parts.Transport, new BybitRateLimits(parts.Counter(0), parts.Counter(1)), parts.Time);
}
