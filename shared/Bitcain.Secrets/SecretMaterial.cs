namespace Bitcain.Secrets;

/// <summary>
/// An exchange API key, secret and passphrase in clear. Lives only in memory, only as long as a call needs it;
/// it redacts itself so a log line or an exception message that formats it never shows it.
/// </summary>
public sealed record SecretMaterial(string ApiKey, string ApiSecret, string? Passphrase)
{
    public override string ToString() => "SecretMaterial { [redacted] }";
}

/// <summary>
/// <see cref="SecretMaterial"/> encrypted under a credential's data key: each field is base64 of
/// nonce | tag | ciphertext (AES-256-GCM), bound to the credential id and the field's name.
/// </summary>
public sealed record SealedSecrets(string ApiKey, string ApiSecret, string? Passphrase);

/// <summary>
/// A credential's data key encrypted (AES-256-GCM) under the master key named by <see cref="MasterKeyId"/>,
/// bound to the credential id. Destroying it makes the credential's <see cref="SealedSecrets"/> unreadable.
/// </summary>
public sealed record WrappedDataKey(string MasterKeyId, string Ciphertext);

/// <summary>Thrown when ciphertext cannot be opened: wrong key, tampered data, another credential's data, or a destroyed key.</summary>
public sealed class SecretsUnavailableException(string message) : Exception(message);
