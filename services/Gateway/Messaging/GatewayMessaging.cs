using Bitcain.Contracts;
using Bitcain.Gateway.Api;
using Bitcain.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.RabbitMQ.Internal;

namespace Bitcain.Gateway.Messaging;

public static class GatewayMessaging
{
    private static readonly string[] ServiceQueues =
    [
        BusTopology.CredentialCommands, BusTopology.CredentialQueries, BusTopology.SyncCommands, BusTopology.SyncQueries,
        BusTopology.MarketCommands, BusTopology.MarketQueries,
    ];

    /// <summary>The gateway owns nothing: every command and query goes to the queue of the service that owns it.</summary>
    public static void AddGatewayMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ServiceCalls>();
        builder.Services.AddSingleton<PendingReplies>();
        builder.Services.AddSingleton<HttpQueries>();
        builder.Services.AddSingleton<TickerShortCache>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CredentialSealing>();
        // The build runs the gateway only to write its OpenAPI document: no broker to connect to.
        if (OpenApi.GatewayDocument.IsBuildTime) return;
        builder.Host.UseWolverine(opts =>
        {
            // Least privilege on the broker: the gateway declares only its own reply queue. The queues it sends to
            // and the events exchange belong to the services, which declare them before the gateway starts (and they
            // are durable), so its broker user cannot delete or reshape them. It keeps no dead letters either: a
            // reply nobody waits for is dropped anyway, and it needs no rights on the services' dead-letter queue.
            var rabbit = opts.UseBitcainRabbitMq(typeof(GatewayMessaging).Assembly, builder.Configuration).DisableDeadLetterQueueing();
            rabbit.DeclareExchange(BusTopology.Events, exchange => ((RabbitMqExchangeConfigurationExpression)exchange).IsExternallyOwned = true);
            foreach (var queue in ServiceQueues)
                rabbit.DeclareQueue(queue, q => ((RabbitMqEndpoint)q).IsExternallyOwned = true);
            // The gateway has no outbox to keep a message in: a command is handed to the broker before the HTTP
            // request waits for its reply, and the broker's confirm makes that a promise. No broker: a 503 at once,
            // and the command is not applied later behind the client's back (an in-memory buffer would, or lose it).
            opts.Policies.AllSenders(sender => sender.SendInline());
            // Inline sends retry on another thread by default, after SendAsync has returned: the caller would wait
            // for a reply to a message that may never leave. Waiting makes a failed hand-over the caller's exception.
            opts.Durability.UseSyncRetryBlock = true;
            opts.RouteBitcainMessages(ServiceQueues);
            // A reply arrives under its wire name; known up front, it is read as its own type and reaches the one
            // handler of every reply (ServiceReplyHandler).
            foreach (var reply in BusRouting.ContractMessages.Where(typeof(IServiceReply).IsAssignableFrom))
                opts.RegisterMessageType(reply);
        });
    }
}
