using Bitcain.Secrets;
using Wolverine.Attributes;

namespace Bitcain.Contracts.Credentials;

// What a service that calls exchanges for a user (sync, and the credential service itself) needs of a credential:
// the ciphertext and the wrapped data key. Only a holder of the master key (CredentialVault) can open it; the
// gateway never asks for it. The user is the tenant header, as for every credential message.

/// <summary>
/// The credential <see cref="CredentialId"/> if given (it must be on <see cref="ExchangeName"/>), else the user's
/// most recently stored ACTIVE credential for that exchange. Sent to <see cref="BusTopology.CredentialQueries"/>.
/// </summary>
[MessageIdentity("bitcain.credentials.get-sealed-credential.v1")]
public sealed record GetSealedCredential(Guid? CredentialId, string ExchangeName) : ICredentialQuery, IUserMessage;

/// <summary>
/// <see cref="Found"/> false: no such credential for this user (or none active on that exchange).
/// Open with <c>vault.Open(CredentialId, Secrets, DataKey)</c>.
/// </summary>
[MessageIdentity("bitcain.credentials.sealed-credential-reply.v1")]
public sealed record SealedCredentialReply(
    bool Found,
    Guid? CredentialId,
    string? ExchangeName,
    bool IsActive,
    SealedSecrets? Secrets,
    WrappedDataKey? DataKey) : IServiceReply
{
    public static SealedCredentialReply None { get; } = new(false, null, null, false, null, null);
}

/// <summary>A call to the exchange used the credential (sets <c>last_used</c>). Sent to <see cref="BusTopology.CredentialCommands"/>.</summary>
[MessageIdentity("bitcain.credentials.record-credential-use.v1")]
public sealed record RecordCredentialUse(Guid CredentialId, DateTimeOffset UsedAt) : ICredentialCommand;

/// <summary>
/// What the exchange said of the key. <see cref="Status"/>: <c>valid</c>, or a contract <c>error_type</c>
/// (<c>auth_error</c> and <c>permission_denied</c> mark the credential invalid; anything else is <c>error</c>).
/// Sent to <see cref="BusTopology.CredentialCommands"/>.
/// </summary>
[MessageIdentity("bitcain.credentials.record-credential-validation.v1")]
public sealed record RecordCredentialValidation(
    Guid CredentialId,
    string Status,
    string? Error,
    IReadOnlyList<string> Permissions,
    DateTimeOffset At) : ICredentialCommand;
