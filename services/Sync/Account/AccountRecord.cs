using Marten;
using Wolverine;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace Bitcain.Sync.Account;

/// <summary>
/// A local command that records what an I/O handler got from the exchange on the account's stream (an aggregate
/// handler's message). It never leaves the process: the I/O handler invokes it inline for the user it checked.
/// </summary>
public interface IAccountRecord
{
    /// <summary>The durable-inbox delivery of the bus command whose I/O handler hands this on (null when there is none).
    /// Not data: the recording marks it handled in its own transaction (<see cref="DeliveryCompletedByRecording"/>).</summary>
    Envelope? Delivery { get; }
}

/// <summary>
/// Runs before every aggregate handler of an <see cref="IAccountRecord"/>: queues the bus delivery's "handled" mark into
/// the recording's transaction. Before the split, the event and that mark committed together (the handler's transaction);
/// after it, the recording commits first and the delivery is marked when the I/O handler returns, so an instance killed
/// in between left the command to be recovered and run again: a second exchange call and a second event. With the mark
/// in the recording's transaction, a recovered delivery is already handled. The statement is Wolverine's own
/// (<see cref="IMessageDatabase.BuildMarkIncomingAsHandled"/>, the one its Marten middleware queues for a handler's own delivery).
/// </summary>
public static class DeliveryCompletedByRecording
{
    public static void Before(Envelope envelope, IDocumentSession session, IWolverineRuntime runtime)
    {
        if (envelope.Message is not IAccountRecord { Delivery: { } delivery } || runtime.Storage is not IMessageDatabase inbox) return;
        // The three "?" are the statement's parameter markers as Marten's QueueSqlCommand spells them.
        var mark = inbox.BuildMarkIncomingAsHandled(delivery, DateTimeOffset.UtcNow + runtime.Options.Durability.KeepAfterMessageHandling, "?", "?", "?");
        // One statement unless the inbox is partitioned (not configured here): Marten queues no ';'.
        if (!mark.Sql.Contains(';')) session.QueueSqlCommand(mark.Sql, mark.Arguments);
    }
}
