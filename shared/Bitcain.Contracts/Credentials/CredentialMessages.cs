using System.Text.Json;
using Wolverine.Attributes;

namespace Bitcain.Contracts.Credentials;

// Commands and queries of the credential service. The user they act for travels in the
// BusTopology.UserHeader header, never in the body, so a handler cannot be told to act for someone else.

/// <summary>
/// Stores a new credential. The gateway chooses <see cref="CredentialId"/> so a retried command is recognisable.
/// No secret travels in clear: the key, secret and passphrase are sealed boxes (Bitcain.Secrets.SealedBox) for the
/// credential service's public key (<see cref="GetSealingKey"/>), bound to <c>SealingContext.For(user, field)</c>.
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
    JsonElement? ExchangeMetadata,
    SealedFields Sealed) : ICredentialCommand;

/// <summary>Sealed boxes of the fields a request carried; null = not given.</summary>
public sealed record SealedFields(string? ApiKey, string? ApiSecret, string? Passphrase)
{
    public const string ApiKeyField = "api_key";
    public const string ApiSecretField = "api_secret";
    public const string PassphraseField = "api_passphrase";
}

/// <summary>
/// Changes any subset of a credential; null = unchanged. A new key or secret resets validation to <c>pending</c>
/// and validates again in the background.
/// </summary>
[MessageIdentity("bitcain.credentials.update-credential.v1")]
public sealed record UpdateCredential(
    Guid CredentialId,
    string? CredentialName,
    string? ApiKeyMasked,
    SealedFields Sealed,
    IReadOnlyList<string>? Permissions,
    IReadOnlyList<string>? IpWhitelist,
    JsonElement? ExchangeMetadata,
    bool? IsActive) : ICredentialCommand;

/// <summary>Deletes a credential and destroys its data key: its secret material is unrecoverable afterwards.</summary>
[MessageIdentity("bitcain.credentials.delete-credential.v1")]
public sealed record DeleteCredential(Guid CredentialId) : ICredentialCommand;

/// <summary>Checks a key against the exchange without storing anything (a query: nothing is written).</summary>
[MessageIdentity("bitcain.credentials.validate-key.v1")]
public sealed record ValidateKey(string ExchangeName, SealedFields Sealed) : ICredentialQuery, IUserMessage;

[MessageIdentity("bitcain.credentials.key-validation-reply.v1")]
public sealed record KeyValidationReply(bool Valid, string Exchange, IReadOnlyList<string> Permissions, string? Error, string? ErrorType) : IServiceReply;

/// <summary>The public key the gateway seals secrets for; it needs no user.</summary>
[MessageIdentity("bitcain.credentials.get-sealing-key.v1")]
public sealed record GetSealingKey : ICredentialQuery;

/// <summary><see cref="PublicKey"/>: SubjectPublicKeyInfo (P-256), base64.</summary>
[MessageIdentity("bitcain.credentials.sealing-key-reply.v1")]
public sealed record SealingKeyReply(string PublicKey, string MasterKeyId) : IServiceReply;

/// <summary>The audit trail of one credential, newest first; <c>Found</c> false for an id the user never had.</summary>
[MessageIdentity("bitcain.credentials.get-credential-events.v1")]
public sealed record GetCredentialEvents(Guid CredentialId) : ICredentialQuery, IUserMessage;

[MessageIdentity("bitcain.credentials.credential-events-reply.v1")]
public sealed record CredentialEventsReply(bool Found, IReadOnlyList<AuditEventItem> Items) : IServiceReply;

/// <summary>The user's credential events matching the filter (see <see cref="AuditEventPage"/>).</summary>
[MessageIdentity("bitcain.credentials.get-credential-audit-events.v1")]
public sealed record GetCredentialAuditEvents(AuditFilter Filter) : ICredentialQuery, IUserMessage;

[MessageIdentity("bitcain.credentials.list-credentials.v1")]
public sealed record ListCredentials(string? ExchangeName) : ICredentialQuery, IUserMessage;

[MessageIdentity("bitcain.credentials.get-credential.v1")]
public sealed record GetCredential(Guid CredentialId) : ICredentialQuery, IUserMessage;

public enum CredentialOutcome
{
    Ok,
    NotFound,
    Conflict,
    Rejected,

    /// <summary>The sealed fields do not open: sealed for another key (the gateway refetches it) or tampered.</summary>
    Unsealable,

    /// <summary>The command breaks <see cref="CredentialRules"/>: <see cref="CredentialReply.Violations"/> says how, as a 422 would.</summary>
    Invalid,
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
public sealed record CredentialReply(
    CredentialOutcome Outcome, CredentialDetails? Credential, string? Detail, IReadOnlyList<RuleViolation>? Violations = null) : IServiceReply
{
    public static CredentialReply Refused(IReadOnlyList<RuleViolation> violations) =>
        new(CredentialOutcome.Invalid, null, "The command breaks the credential rules", violations);

    public static CredentialReply Found(CredentialDetails credential) => new(CredentialOutcome.Ok, credential, null);
    public static CredentialReply Missing(Guid id) => new(CredentialOutcome.NotFound, null, $"Credential {id} not found");
}

[MessageIdentity("bitcain.credentials.credential-list.v1")]
public sealed record CredentialList(IReadOnlyList<CredentialDetails> Credentials) : IServiceReply;
