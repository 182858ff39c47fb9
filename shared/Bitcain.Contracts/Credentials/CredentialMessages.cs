using System.Text.Json;
using Wolverine.Attributes;

namespace Bitcain.Contracts.Credentials;

// Commands and queries of the credential service. The user they act for travels in the
// BusTopology.UserHeader header, never in the body, so a handler cannot be told to act for someone else.

/// <summary>
/// Stores a new credential. The gateway chooses <see cref="CredentialId"/> so a retried command is recognisable.
/// No secret travels in clear: until the encryption issue lands, only the masked key does.
/// </summary>
[MessageIdentity("bitcain.credentials.store-credential.v1")]
public sealed record StoreCredential(
    Guid CredentialId,
    string ExchangeName,
    string CredentialName,
    string ApiKeyMasked,
    bool HasPassphrase,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> IpWhitelist,
    JsonElement? ExchangeMetadata);

[MessageIdentity("bitcain.credentials.list-credentials.v1")]
public sealed record ListCredentials(string? ExchangeName);

[MessageIdentity("bitcain.credentials.get-credential.v1")]
public sealed record GetCredential(Guid CredentialId);

public enum CredentialOutcome
{
    Ok,
    NotFound,
    Conflict,
    Rejected,
}

/// <summary>What one credential looks like to its owner: never any secret material.</summary>
public sealed record CredentialDetails(
    Guid Id,
    string UserId,
    string ExchangeName,
    string CredentialName,
    string ApiKeyMasked,
    bool HasPassphrase,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> IpWhitelist,
    JsonElement? ExchangeMetadata,
    bool IsActive,
    DateTimeOffset? LastUsed,
    DateTimeOffset? LastValidation,
    string ValidationStatus,
    string? ValidationError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

[MessageIdentity("bitcain.credentials.credential-reply.v1")]
public sealed record CredentialReply(CredentialOutcome Outcome, CredentialDetails? Credential, string? Detail)
{
    public static CredentialReply Found(CredentialDetails credential) => new(CredentialOutcome.Ok, credential, null);
    public static CredentialReply Missing(Guid id) => new(CredentialOutcome.NotFound, null, $"Credential {id} not found");
}

[MessageIdentity("bitcain.credentials.credential-list.v1")]
public sealed record CredentialList(IReadOnlyList<CredentialDetails> Credentials);
