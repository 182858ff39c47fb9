using System.Text.Json;
using Bitcain.Secrets;
using Marten.Events;

namespace Bitcain.Credentials.Credential;

// Events of one credential's stream. Their stored names are explicit (CredentialEventNames), so renaming
// a class never orphans a stored event. Secret material appears only as ciphertext under the credential's data
// key, which lives outside the stream (CredentialDataKey): deleting that key shreds every event's secrets.

public sealed record CredentialStored(
    Guid CredentialId,
    string ExchangeName,
    string CredentialName,
    string ApiKeyMasked,
    bool HasPassphrase,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> IpWhitelist,
    JsonElement? ExchangeMetadata,
    DateTimeOffset StoredAt,
    SealedSecrets Secrets);

public sealed record CredentialRenamed(Guid CredentialId, string CredentialName, DateTimeOffset At);

/// <summary>The key or the secret (or both) replaced; both ciphertexts are carried so the stream alone tells the current pair.</summary>
public sealed record CredentialKeyRotated(Guid CredentialId, string ApiKeyMasked, string SealedApiKey, string SealedApiSecret, DateTimeOffset At);

public sealed record CredentialPassphraseChanged(Guid CredentialId, string SealedPassphrase, DateTimeOffset At);

public sealed record CredentialPermissionsChanged(Guid CredentialId, IReadOnlyList<string> Permissions, DateTimeOffset At);

public sealed record CredentialWhitelistChanged(Guid CredentialId, IReadOnlyList<string> IpWhitelist, DateTimeOffset At);

public sealed record CredentialMetadataChanged(Guid CredentialId, JsonElement? ExchangeMetadata, DateTimeOffset At);

public sealed record CredentialActivated(Guid CredentialId, DateTimeOffset At);

public sealed record CredentialDeactivated(Guid CredentialId, DateTimeOffset At);

/// <summary>The exchange accepted the key; <see cref="Permissions"/> are what it says the key may do.</summary>
public sealed record CredentialValidated(Guid CredentialId, IReadOnlyList<string> Permissions, DateTimeOffset At);

/// <summary><see cref="Status"/>: <c>invalid</c> (auth_error, permission_denied) or <c>error</c> (the exchange could not say).</summary>
public sealed record CredentialValidationFailed(Guid CredentialId, string Status, string ErrorType, string Error, DateTimeOffset At);

public sealed record CredentialUsed(Guid CredentialId, DateTimeOffset At);

public sealed record CredentialDeleted(Guid CredentialId, DateTimeOffset At);

public static class CredentialEventNames
{
    public const string Stored = "credential_stored.v1";
    public const string Renamed = "credential_renamed.v1";
    public const string KeyRotated = "credential_key_rotated.v1";
    public const string PassphraseChanged = "credential_passphrase_changed.v1";
    public const string PermissionsChanged = "credential_permissions_changed.v1";
    public const string WhitelistChanged = "credential_whitelist_changed.v1";
    public const string MetadataChanged = "credential_metadata_changed.v1";
    public const string Activated = "credential_activated.v1";
    public const string Deactivated = "credential_deactivated.v1";
    public const string Validated = "credential_validated.v1";
    public const string ValidationFailed = "credential_validation_failed.v1";
    public const string Used = "credential_used.v1";
    public const string Deleted = "credential_deleted.v1";

    public static void Register(IEventStoreOptions events)
    {
        events.MapEventType<CredentialStored>(Stored);
        events.MapEventType<CredentialRenamed>(Renamed);
        events.MapEventType<CredentialKeyRotated>(KeyRotated);
        events.MapEventType<CredentialPassphraseChanged>(PassphraseChanged);
        events.MapEventType<CredentialPermissionsChanged>(PermissionsChanged);
        events.MapEventType<CredentialWhitelistChanged>(WhitelistChanged);
        events.MapEventType<CredentialMetadataChanged>(MetadataChanged);
        events.MapEventType<CredentialActivated>(Activated);
        events.MapEventType<CredentialDeactivated>(Deactivated);
        events.MapEventType<CredentialValidated>(Validated);
        events.MapEventType<CredentialValidationFailed>(ValidationFailed);
        events.MapEventType<CredentialUsed>(Used);
        events.MapEventType<CredentialDeleted>(Deleted);
    }
}
