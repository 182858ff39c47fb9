using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.ValidatingCredential;
using Bitcain.ServiceDefaults;
using Wolverine;

namespace Bitcain.Credentials;

/// <summary>The user a message acts for: Wolverine's tenant id, which also scopes every Marten session.</summary>
public static class UserScope
{
    public static string? Of(Envelope envelope) => UserCheck.Of(envelope);

    public const string MissingUser = UserCheck.MissingUser;
}

/// <summary>What the credential service answers a message that names no user (UserCheck refuses it before any handler).</summary>
public sealed class CredentialMissingUserReplies : IMissingUserReplies
{
    public object? For(object message) => message switch
    {
        StoreCredential or UpdateCredential or DeleteCredential or GetCredential =>
            new CredentialReply(CredentialOutcome.Rejected, null, UserCheck.MissingUser),
        ListCredentials => new CredentialList([]),
        ValidateKey q => new KeyValidationReply(false, q.ExchangeName, [], UserCheck.MissingUser, "invalid_request"),
        GetSealedCredential => SealedCredentialReply.None,
        GetCredentialEvents => new CredentialEventsReply(false, []),
        GetCredentialAuditEvents => new Contracts.AuditEventPage([], 0),
        // RecordCredentialUse, RecordCredentialValidation, ValidateStoredCredential: one-way, nobody waits.
        _ => null,
    };
}
