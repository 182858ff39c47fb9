namespace Bitcain.Exchanges.RateLimits;

/// <summary>
/// Who the exchange calls on this async flow are made for (one account's sync, say). The process-wide limiters share
/// an exchange's budget fairly between the owners waiting for it, so one long sync cannot starve another.
/// </summary>
public static class ExchangeCallShare
{
    private static readonly AsyncLocal<string?> owner = new();

    /// <summary>The owner of the calls on this flow; null for calls made for nobody in particular (health, markets).</summary>
    public static string? Current => owner.Value;

    /// <summary>Marks the calls made on this flow until the result is disposed as made for <paramref name="ownerKey"/>.</summary>
    public static IDisposable Enter(string ownerKey)
    {
        var previous = owner.Value;
        owner.Value = ownerKey;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => owner.Value = previous;
    }
}
