using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.Secrets;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Bitcain.Credentials.Credential;

/// <summary>
/// The read model of one credential, kept in step with its stream inline (same transaction). It also holds the
/// current ciphertext (<see cref="Secrets"/>), which only the data key opens and which never leaves the service
/// except as the sealed-credential reply.
/// </summary>
public sealed record CredentialView
{
    public Guid Id { get; init; }
    public string UserId { get; init; } = "";
    public string ExchangeName { get; init; } = "";
    public string CredentialName { get; init; } = "";

    /// <summary>Case-folded name: "Main" and "main" on one exchange are the same credential to a user.</summary>
    public string NameKey { get; init; } = "";
    public string ApiKeyMasked { get; init; } = "";
    public bool HasPassphrase { get; init; }
    public IReadOnlyList<string> Permissions { get; init; } = [];
    public IReadOnlyList<string> IpWhitelist { get; init; } = [];
    public JsonElement? ExchangeMetadata { get; init; }
    public bool IsActive { get; init; }
    public DateTimeOffset? LastUsed { get; init; }
    public DateTimeOffset? LastValidation { get; init; }
    public string ValidationStatus { get; init; } = "pending";
    public string? ValidationError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public SealedSecrets Secrets { get; init; } = new("", "", null);

    /// <summary>When the key or secret last changed: a background validation of an older key is stale.</summary>
    public DateTimeOffset KeyChangedAt { get; init; }

    /// <summary>The stream version this view reflects.</summary>
    public long Version { get; set; }

    public static string KeyOf(string credentialName) => credentialName.Trim().ToLowerInvariant();

    public CredentialDetails ToDetails() => new(
        Id, UserId, ExchangeName, CredentialName, ApiKeyMasked, HasPassphrase, Permissions, IpWhitelist,
        ExchangeMetadata, IsActive, LastUsed, LastValidation, ValidationStatus, ValidationError, CreatedAt, UpdatedAt);
}

public sealed partial class CredentialViewProjection : SingleStreamProjection<CredentialView, Guid>
{
    public static CredentialView Create(IEvent<CredentialStored> e) => new()
    {
        Id = e.Data.CredentialId,
        UserId = e.TenantId,
        ExchangeName = e.Data.ExchangeName,
        CredentialName = e.Data.CredentialName,
        NameKey = CredentialView.KeyOf(e.Data.CredentialName),
        ApiKeyMasked = e.Data.ApiKeyMasked,
        HasPassphrase = e.Data.HasPassphrase,
        Permissions = e.Data.Permissions,
        IpWhitelist = e.Data.IpWhitelist,
        ExchangeMetadata = e.Data.ExchangeMetadata,
        IsActive = true,
        ValidationStatus = "pending",
        CreatedAt = e.Data.StoredAt,
        UpdatedAt = e.Data.StoredAt,
        Secrets = e.Data.Secrets,
        KeyChangedAt = e.Data.StoredAt,
    };

    public static CredentialView Apply(CredentialRenamed e, CredentialView v) =>
        v with { CredentialName = e.CredentialName, NameKey = CredentialView.KeyOf(e.CredentialName), UpdatedAt = e.At };

    public static CredentialView Apply(CredentialKeyRotated e, CredentialView v) => v with
    {
        ApiKeyMasked = e.ApiKeyMasked,
        Secrets = v.Secrets with { ApiKey = e.SealedApiKey, ApiSecret = e.SealedApiSecret },
        ValidationStatus = "pending",
        ValidationError = null,
        KeyChangedAt = e.At,
        UpdatedAt = e.At,
    };

    public static CredentialView Apply(CredentialPassphraseChanged e, CredentialView v) =>
        v with { Secrets = v.Secrets with { Passphrase = e.SealedPassphrase }, HasPassphrase = true, UpdatedAt = e.At };

    public static CredentialView Apply(CredentialPermissionsChanged e, CredentialView v) => v with { Permissions = e.Permissions, UpdatedAt = e.At };

    public static CredentialView Apply(CredentialWhitelistChanged e, CredentialView v) => v with { IpWhitelist = e.IpWhitelist, UpdatedAt = e.At };

    public static CredentialView Apply(CredentialMetadataChanged e, CredentialView v) => v with { ExchangeMetadata = e.ExchangeMetadata, UpdatedAt = e.At };

    public static CredentialView Apply(CredentialActivated e, CredentialView v) => v with { IsActive = true, UpdatedAt = e.At };

    public static CredentialView Apply(CredentialDeactivated e, CredentialView v) => v with { IsActive = false, UpdatedAt = e.At };

    public static CredentialView Apply(CredentialValidated e, CredentialView v) => v with
    {
        ValidationStatus = "valid",
        ValidationError = null,
        LastValidation = e.At,
        Permissions = e.Permissions.Count > 0 ? e.Permissions : v.Permissions,
        UpdatedAt = e.At,
    };

    public static CredentialView Apply(CredentialValidationFailed e, CredentialView v) =>
        v with { ValidationStatus = e.Status, ValidationError = e.Error, LastValidation = e.At, UpdatedAt = e.At };

    // Use is frequent and says nothing about the credential's settings: it moves last_used, not updated_at.
    public static CredentialView Apply(CredentialUsed e, CredentialView v) =>
        v with { LastUsed = v.LastUsed is { } last && last > e.At ? last : e.At };

    public bool ShouldDelete(CredentialDeleted e) => true;
}
