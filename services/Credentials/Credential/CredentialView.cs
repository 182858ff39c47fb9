using System.Text.Json;
using Bitcain.Contracts.Credentials;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Bitcain.Credentials.Credential;

/// <summary>The read model of one credential, kept in step with its stream inline (same transaction).</summary>
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
    };
}
