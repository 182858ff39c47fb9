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
                opts.PublishMessage(message).ToRabbitQueue(queue);
        }
    }
}
