using System.Reflection;
using Bitcain.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.RabbitMQ.Internal;

namespace Bitcain.ServiceDefaults.ServiceQueries;

/// <summary>
/// The asking half of service calls, for a process that owns no data and asks the owning services (the gateway):
/// queries over HTTP with a signed assertion, or on the bus, and commands on the bus with their replies awaited here.
/// The answering half is <see cref="HttpQueries.HttpQueryEndpoints"/> and each service's bus handlers.
/// </summary>
public static class ServiceCallsSetup
{
    public static IServiceCollection AddServiceCalls(this IServiceCollection services, TimeSpan timeout)
    {
        services.AddSingleton(new ServiceCallOptions(timeout));
        services.AddScoped<ServiceCalls>();
        services.AddSingleton<PendingReplies>();
        services.AddSingleton<HttpQueryClient>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// The bus of a caller that owns nothing: every command and query goes to the queue of the service that owns it
    /// (<paramref name="serviceQueues"/>), and every reply comes back to <see cref="ServiceReplyHandler"/>.
    /// </summary>
    public static void UseBusAsCaller(this WolverineOptions opts, Assembly application, IConfiguration configuration, string[] serviceQueues)
    {
        // Least privilege on the broker: the caller declares only its own reply queue. The queues it sends to and the
        // events exchange belong to the services, which declare them before the caller starts (and they are durable),
        // so its broker user cannot delete or reshape them. It keeps no dead letters either: a reply nobody waits for
        // is dropped anyway, and it needs no rights on the services' dead-letter queue.
        var rabbit = opts.UseBitcainRabbitMq(application, configuration).DisableDeadLetterQueueing();
        rabbit.DeclareExchange(BusTopology.Events, exchange => ((RabbitMqExchangeConfigurationExpression)exchange).IsExternallyOwned = true);
        foreach (var queue in serviceQueues)
            rabbit.DeclareQueue(queue, q => ((RabbitMqEndpoint)q).IsExternallyOwned = true);
        // The caller has no outbox to keep a message in: a command is handed to the broker before the HTTP request
        // waits for its reply, and the broker's confirm makes that a promise. No broker: a 503 at once, and the
        // command is not applied later behind the client's back (an in-memory buffer would, or lose it).
        opts.Policies.AllSenders(sender => sender.SendInline());
        // Inline sends retry on another thread by default, after SendAsync has returned: the caller would wait
        // for a reply to a message that may never leave. Waiting makes a failed hand-over the caller's exception.
        opts.Durability.UseSyncRetryBlock = true;
        opts.RouteBitcainMessages(serviceQueues);
        // The reply handler lives here, outside the application assembly that handler discovery scans.
        opts.Discovery.IncludeType(typeof(ServiceReplyHandler));
        // A reply arrives under its wire name; known up front, it is read as its own type and reaches the one
        // handler of every reply.
        foreach (var reply in BusRouting.ContractMessages.Where(typeof(IServiceReply).IsAssignableFrom))
            opts.RegisterMessageType(reply);
    }
}
