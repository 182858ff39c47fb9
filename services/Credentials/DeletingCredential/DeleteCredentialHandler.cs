using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.ScrubbingSealedCommands;
using Bitcain.ServiceDefaults;
using Marten;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.Credentials.DeletingCredential;

public static class DeletingCredentialDecision
{
    /// <summary>Pure: the deletion ends the stream (the audit trail stays).</summary>
    public static CredentialDeleted Decide(CredentialView current, DateTimeOffset now) => new(current.Id, now);
}

public static class DeleteCredentialHandler
{
    /// <summary>
    /// Appends the deletion (the audit trail stays) and destroys the data key in the same transaction: from then
    /// on no event's ciphertext of this credential can be opened, with any master key; then the copies of its sealed
    /// fields that Wolverine kept (retained inbox rows, dead letters) are scrubbed.
    /// </summary>
    public static (CredentialReply, Events, OutgoingMessages) Handle(
        DeleteCredential command, [WriteAggregate(nameof(DeleteCredential.CredentialId), Required = false)] CredentialView? current,
        Envelope envelope, IDocumentSession session, TimeProvider clock)
    {
        if (current is null) return (CredentialReply.Missing(command.CredentialId), [], []);

        var deleted = DeletingCredentialDecision.Decide(current, clock.GetUtcNow());
        session.Delete<CredentialDataKey>(current.Id);
        // The scrub is a message of its own so that it runs once this transaction has committed, and survives a crash.
        return (CredentialReply.Found(current.ToDetails()), [deleted],
            [new CredentialDeletedV1(current.Id, UserCheck.Checked(envelope), current.ExchangeName, deleted.At), new ScrubCredentialCommands(current.Id)]);
    }
}
