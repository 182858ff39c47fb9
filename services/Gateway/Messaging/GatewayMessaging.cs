using Bitcain.Gateway.Api;
using Wolverine;

namespace Bitcain.Gateway.Messaging;

public static class GatewayMessaging
{
    private static readonly string[] ServiceQueues =
    [
        BusTopology.CredentialCommands, BusTopology.CredentialQueries, BusTopology.SyncCommands, BusTopology.SyncQueries,
        BusTopology.MarketCommands, BusTopology.MarketQueries,
    ];

    /// <summary>The gateway owns nothing: every command and query goes to the service that owns it.</summary>
    public static void AddGatewayMessaging(this WebApplicationBuilder builder, GatewayOptions options)
    {
        builder.Services.AddServiceCalls(TimeSpan.FromSeconds(options.ServiceTimeoutSeconds));
        builder.Services.AddSingleton<TickerShortCache>();
        builder.Services.AddSingleton<CredentialSealing>();
        // The build runs the gateway only to write its OpenAPI document: no broker to connect to.
        if (EdgeDocument.IsBuildTime) return;
        builder.Host.UseWolverine(opts => opts.UseBusAsCaller(typeof(GatewayMessaging).Assembly, builder.Configuration, ServiceQueues));
    }
}
