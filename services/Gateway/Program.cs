using Bitcain.Gateway.Api;
using Bitcain.Gateway.Messaging;
using Bitcain.Gateway.OpenApi;
using Bitcain.ServiceDefaults;
using JasperFx;
using Scalar.AspNetCore;

namespace Bitcain.Gateway;

public class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddGeneratedCode();
        var options = builder.AddGatewayEdge();
        builder.AddGatewayMessaging(options);
        builder.Services.AddGatewayDocument();

        var app = builder.Build();

        app.UseEdge();

        app.MapDefaultEndpoints();
        var exchange = app.MapEdgeGroup("/api/exchange", "Exchange");
        exchange.MapExchangeEndpoints();
        exchange.MapCredentialEndpoints();
        exchange.MapCredentialEventEndpoints();
        exchange.MapMarketEndpoints();
        exchange.MapSyncEndpoints();
        app.MapEdgeGroup("/api/audit", "Audit").MapAuditEndpoints();
        app.MapOpenApi(GatewayDocument.Path).AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithOpenApiRoutePattern(GatewayDocument.Path).WithTitle("Bitcain exchange API")).AllowAnonymous();

        // ops/codegen.sh and the staleness test write the handler code from the configured host, then stop.
        if (GeneratedCode.IsCommand(args))
        {
            Environment.ExitCode = await app.RunJasperFxCommands(args);
            return;
        }
        await app.RunAsync();
    }
}
