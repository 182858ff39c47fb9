using Bitcain.Gateway.Api;
using Bitcain.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;

namespace Bitcain.Gateway.Messaging;

public static class GatewayMessaging
{
    /// <summary>The gateway owns nothing: every command and query goes to the queue of the service that owns it.</summary>
    public static void AddGatewayMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ServiceCalls>();
        builder.Services.AddSingleton<PendingReplies>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CredentialSealing>();
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(GatewayMessaging).Assembly, builder.Configuration);
            // The gateway has no outbox to keep a message in: a command is handed to the broker before the HTTP
            // request waits for its reply, and the broker's confirm makes that a promise. No broker: a 503 at once,
            // and the command is not applied later behind the client's back (an in-memory buffer would, or lose it).
            opts.Policies.AllSenders(sender => sender.SendInline());
            // Inline sends retry on another thread by default, after SendAsync has returned: the caller would wait
            // for a reply to a message that may never leave. Waiting makes a failed hand-over the caller's exception.
            opts.Durability.UseSyncRetryBlock = true;
            opts.RouteExchangeMessages();
            opts.RouteCredentialMessages();
            opts.RouteMarketMessages();
            opts.RouteSyncMessages();
        });
    }
}
