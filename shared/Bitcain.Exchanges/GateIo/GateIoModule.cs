using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.GateIo;

public sealed class GateIoModule : IExchangeModule
{
    // The client appends Gate's own /api/v4 paths (they are what it signs), so the base URL stops at the host.
    // No key permissions: Gate's API reports none (see GateIoClient).
    // Gate.io began as Bter.com in 2013 (renamed 2017, accounts carried over); no day is published, hence the year's first.
    public ExchangeDescriptor Descriptor { get; } =
        new("gate_io", "Gate.io", "https://www.gate.io", "https://api.gateio.ws", false, [], 0.002m, 0.002m,
            ExchangeCapabilitySets.Standard & ~ExchangeCapabilities.KeyPermissions, ExchangeDescriptor.UtcDay(2013, 1, 1));

    // Gate.io: 200 requests per 10 s per endpoint.
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_requests", "decay", limit ?? 50, drain ?? 10, "Gate.io allows 200 per 10 s per endpoint"),
        new("public_requests", "decay", 50, 10, "Gate.io allows 200 per 10 s per endpoint"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new GateIoClient(parts.Descriptor, parts.Transport, new GateIoRateLimits(parts.Counter(0), parts.Counter(1)), parts.Time);
}
