using Microsoft.OpenApi;

namespace Bitcain.Gateway.OpenApi;

/// <summary>
/// <c>/openapi.json</c> as ASP.NET Core's OpenAPI generator writes it from the endpoints' own metadata (names, typed
/// results, the request records), in FastAPI's shape (Bitcain.Edge's <see cref="FastApiDocument"/>).
/// The same document is written at build time to clients/Bitcain.Gateway.json.
/// </summary>
public static class GatewayDocument
{
    public const string Path = "/openapi.json";

    public static void AddGatewayDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        // Only the API's named operations: health probes, the document and /docs are not part of the contract.
        o.ShouldInclude = d => d.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any();
        o.AddFastApiDocument(new OpenApiInfo
        {
            Title = "Bitcain exchange API",
            Version = "1.0.0",
            Description = "Exchange connectivity: credentials, balances, trades, market data and the audit trail.",
        });
    });
}
