namespace Bitcain.ExchangeSimulator;

/// <summary>A seeded exchange account and its one API key. Permissions use the simulator's neutral words
/// <c>read</c>, <c>trade</c>, <c>withdraw</c>; each exchange maps them to its own flags.</summary>
public sealed record SimulatedAccount(
    string Exchange,
    string Name,
    string ApiKey,
    string ApiSecret,
    string? Passphrase,
    IReadOnlyList<string> Permissions)
{
    public bool Can(string permission) => Permissions.Contains(permission, StringComparer.Ordinal);
}

public static class Permission
{
    public const string Read = "read";
    public const string Trade = "trade";
    public const string Withdraw = "withdraw";
}
