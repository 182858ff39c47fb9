namespace Bitcain.ExchangeSimulator;

/// <summary>One simulated exchange, served under <c>/{Name}/</c> followed by the exchange's real path.
/// The shared core (counting, faults) runs before it; everything protocol-specific lives behind this seam.</summary>
internal interface IExchangeSimulation
{
    string Name { get; }

    IReadOnlyList<SimulatedAccount> Accounts { get; }

    /// <summary>The API key a request presents, so faults can target one account.</summary>
    string? ApiKeyOf(HttpRequest request);

    Task HandleAsync(HttpContext context, string path);

    /// <summary>What the named seeded account holds and traded (<see cref="AccountHoldings"/>).</summary>
    AccountHoldings Holdings(string account);

    /// <summary>Answer a RateLimited, ServerError or Maintenance fault the way this exchange would.</summary>
    Task WriteFaultAsync(HttpContext context, string path, Fault fault);

    /// <summary>Forget rate-limit counters, bans and nonces.</summary>
    void ResetState();
}
