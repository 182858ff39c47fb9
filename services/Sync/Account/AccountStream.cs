using Marten;
using Marten.Exceptions;

namespace Bitcain.Sync.Account;

/// <summary>
/// A trade walk's own appends (its start and mid-run checkpoints, committed as it goes); every other write to the account's
/// stream is an aggregate handler's, fetched with <c>LoadStyle = Exclusive</c> for the same reason as below.
/// Every sync of one account appends to the account's stream. Appended plainly, two instances syncing one account at once
/// take the same next version and the loser's whole handler (exchange call included) runs again: a burst of 500 syncs of
/// one account on two instances measured ~280 such reruns. Appended exclusively, the append locks the stream's row until
/// the handler's transaction commits (after the exchange call, so the lock is held only for the commit), and contenders
/// wait their turn instead of failing.
/// </summary>
public static class AccountStream
{
    /// <summary>How long an I/O handler waits for the aggregate handler it hands the exchange's answer to: the recording
    /// waits only for the account's row lock, held by another sync for its commit.</summary>
    public static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(30);

    public static Task AppendAsync(IDocumentSession session, Guid credentialId, object @event, CancellationToken ct) =>
        AppendAsync(session, credentialId, [@event], ct);

    public static async Task AppendAsync(IDocumentSession session, Guid credentialId, object[] events, CancellationToken ct)
    {
        try
        {
            await session.Events.AppendExclusive(credentialId, ct, events);
        }
        catch (NonExistentStreamException)
        {
            // The account's first sync: there is no row to lock yet. A plain append creates the stream; two first syncs
            // at once collide on mt_streams' key and the loser's rerun appends exclusively (EventStoreDefaults retries
            // it). StartStream would throw ExistingStreamIdCollisionException instead, which no retry rule matches.
            session.Events.Append(credentialId, events);
        }
    }
}
