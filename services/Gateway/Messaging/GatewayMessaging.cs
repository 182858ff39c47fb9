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
            opts.RouteExchangeMessages();
            opts.RouteCredentialMessages();
            opts.RouteMarketMessages();
            opts.RouteSyncMessages();
        });
    }
}
