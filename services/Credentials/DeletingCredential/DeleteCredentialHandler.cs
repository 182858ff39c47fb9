using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.ScrubbingSealedCommands;
using Marten;
using Wolverine;

namespace Bitcain.Credentials.DeletingCredential;

public static class DeleteCredentialHandler
{
    /// <summary>
    /// Appends the deletion (the audit trail stays) and destroys the data key in the same transaction: from then
    /// on no event's ciphertext of this credential can be opened, with any master key; then the copies of its sealed
    /// fields that Wolverine kept (retained inbox rows, dead letters) are scrubbed.
    /// </summary>
    public static async Task<(CredentialReply, OutgoingMessages)> Handle(
        DeleteCredential command, Envelope envelope, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var user = UserScope.Of(envelope);
        if (user is null) return (new CredentialReply(CredentialOutcome.Rejected, null, UserScope.MissingUser), []);

        var stream = await session.Events.FetchForWriting<CredentialView>(command.CredentialId, ct);
        var current = stream.Aggregate;
        if (current is null) return (CredentialReply.Missing(command.CredentialId), []);

        var now = clock.GetUtcNow();
        stream.AppendOne(new CredentialDeleted(current.Id, now));
        session.Delete<CredentialDataKey>(current.Id);
        // The scrub is a message of its own so that it runs once this transaction has committed, and survives a crash.
        return (CredentialReply.Found(current.ToDetails()),
            [new CredentialDeletedV1(current.Id, user, current.ExchangeName, now), new ScrubCredentialCommands(current.Id)]);
    }
}
