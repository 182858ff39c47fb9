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
    DateTimeOffset StoredAt);
