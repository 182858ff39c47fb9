namespace Bitcain.Exchanges;

/// <summary>
/// A user's key material for one exchange. It never prints itself: ToString, string interpolation and
/// structured loggers that fall back to ToString all see the redacted form.
/// </summary>
public sealed record ExchangeApiCredentials(string ApiKey, string ApiSecret, string? Passphrase = null)
{
    public override string ToString() => $"ExchangeApiCredentials {{ ApiKey = {Mask(ApiKey)}, ApiSecret = ***, Passphrase = {(Passphrase is null ? "none" : "***")} }}";

    // The contract masks keys as first 4 + last 4; shorter keys show nothing at all.
    private static string Mask(string key) => key.Length <= 12 ? "***" : $"{key[..4]}***{key[^4..]}";

    /// <summary>Removes every piece of secret material, and any signature made with it, from a text meant for humans.</summary>
    internal string Scrub(string text, params string?[] signatures)
    {
        foreach (var secret in new[] { ApiKey, ApiSecret, Passphrase }.Concat(signatures))
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
                text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }
}
