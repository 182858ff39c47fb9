using Wolverine.Attributes;

namespace Bitcain.Contracts.Credentials;

// Integration events: what other systems may consume from BusTopology.Events. They are kept apart
// from the credential stream's own events so the stored events can evolve without breaking consumers.

/// <summary>Routing key <c>bitcain.credentials.credential-stored.v1</c>.</summary>
[MessageIdentity("bitcain.credentials.credential-stored.v1")]
public sealed record CredentialStoredV1(
    Guid CredentialId,
    string UserId,
    string ExchangeName,
    string CredentialName,
    IReadOnlyList<string> Permissions,
    DateTimeOffset StoredAt) : IIntegrationEvent;

/// <summary>Routing key <c>bitcain.credentials.credential-changed.v1</c>: which non-secret fields changed, and their new values.</summary>
[MessageIdentity("bitcain.credentials.credential-changed.v1")]
public sealed record CredentialChangedV1(
    Guid CredentialId,
    string UserId,
    string ExchangeName,
    string CredentialName,
    IReadOnlyList<string> Changes,
    IReadOnlyList<string> Permissions,
    bool IsActive,
    string ValidationStatus,
    DateTimeOffset ChangedAt) : IIntegrationEvent;

/// <summary>Routing key <c>bitcain.credentials.credential-deactivated.v1</c>.</summary>
[MessageIdentity("bitcain.credentials.credential-deactivated.v1")]
public sealed record CredentialDeactivatedV1(Guid CredentialId, string UserId, string ExchangeName, DateTimeOffset DeactivatedAt) : IIntegrationEvent;

/// <summary>Routing key <c>bitcain.credentials.credential-deleted.v1</c>.</summary>
[MessageIdentity("bitcain.credentials.credential-deleted.v1")]
public sealed record CredentialDeletedV1(Guid CredentialId, string UserId, string ExchangeName, DateTimeOffset DeletedAt) : IIntegrationEvent;
