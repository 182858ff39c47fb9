using System.Reflection;
using Bitcain.Contracts;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.RabbitMQ;

namespace Bitcain.ServiceDefaults;

/// <summary>
/// Every message of Bitcain.Contracts goes where what it is says (MessageKinds, <see cref="BusTopology.QueueFor"/>):
/// a new command or query needs its marker, not a route.
/// </summary>
public static class BusRouting
{
    /// <summary>The messages that cross the bus: the contract's records with a wire name.</summary>
    public static IReadOnlyList<Type> ContractMessages { get; } = typeof(BusTopology).Assembly.GetExportedTypes()
        .Where(t => t.IsClass && !t.IsAbstract && t.GetCustomAttribute<MessageIdentityAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Routes the integration events to the events topic, and the commands and queries of the services in
    /// <paramref name="sendsTo"/> (their queues, <see cref="BusTopology"/>) to their queues.
    /// </summary>
    /// <remarks>A process names the queues it sends to because routing to a queue declares it at start-up, and each
    /// service's broker user may declare only the queues it uses (BrokerUsers).</remarks>
    public static void RouteBitcainMessages(this WolverineOptions opts, params string[] sendsTo)
    {
        foreach (var message in ContractMessages)
        {
            if (typeof(IIntegrationEvent).IsAssignableFrom(message))
                opts.PublishMessage(message).ToRabbitTopic(BitcainMessaging.MessageName(message), BusTopology.Events);
            else if (BusTopology.QueueFor(message) is { } queue && sendsTo.Contains(queue))
                opts.PublishMessage(message).ToRabbitQueue(queue, DeclareAsItsOwner);
        }
    }

    /// <summary>
    /// Where a queue's dead letters go, said once for its owner and every sender: RabbitMQ refuses a declaration whose
    /// arguments differ from the queue's, and the refused process retries its whole broker start-up. The credential
    /// commands keep theirs in the credential service's database (they carry sealed secrets, which only rows can be
    /// scrubbed of), so that queue has no dead-letter exchange; the others have Wolverine's default.
    /// </summary>
    public static DeadLetterQueue? DeadLettersOf(string queue) =>
        queue == BusTopology.CredentialCommands ? new DeadLetterQueue(queue + ".dead-letters", DeadLetterQueueMode.WolverineStorage) : null;

    private static void DeclareAsItsOwner(IRabbitMqQueue queue)
    {
        // The interface does not carry the setting; the queue Wolverine hands here is always its RabbitMqQueue.
        if (queue is Wolverine.RabbitMQ.Internal.RabbitMqQueue declared && DeadLettersOf(queue.QueueName) is { } deadLetters)
            declared.DeadLetterQueue = deadLetters;
    }
}
