using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bitcain.Gateway.OpenApi;

/// <summary>
/// <c>/openapi.json</c> as ASP.NET Core's OpenAPI generator writes it from the endpoints' own metadata (names, typed
/// results, the request records), with transformers for what the contract adds: the edge's records (Bitcain.Edge's
/// <see cref="EdgeDocument"/>), the HTTPBearer scheme, FastAPI's response descriptions, and "every field of a response
/// is always there".
/// The same document is written at build time to clients/Bitcain.Gateway.json.
/// </summary>
public static class GatewayDocument
{
    public const string Path = "/openapi.json";
    private const string Bearer = "HTTPBearer";

    public static void AddGatewayDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        // Only the API's named operations: health probes, the document and /docs are not part of the contract.
        o.ShouldInclude = d => d.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any();
        // Free-form JSON (exchange_metadata) is any value, said in place.
        o.CreateSchemaReferenceId = t => (Nullable.GetUnderlyingType(t.Type) ?? t.Type) == typeof(JsonElement) ? null
            : OpenApiOptions.CreateDefaultSchemaReferenceId(t);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Bitcain exchange API",
                Version = "1.0.0",
                Description = "Exchange connectivity: credentials, balances, trades, market data and the audit trail.",
            };
            // The server is wherever the gateway runs; the build-time copy and the served one must be the same bytes.
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Bearer] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT" },
            };
            return Task.CompletedTask;
        });
        o.AddEdgeRequests();
        o.AddOperationTransformer((operation, context, _) =>
        {
            if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            foreach (var (status, response) in operation.Responses ?? [])
                if (response is OpenApiResponse r)
                    r.Description = status switch
                    {
                        "401" => "Not authenticated",
                        "404" => "Not Found",
                        "422" => "Validation Error",
                        _ => "Successful Response",
                    };
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset))
            {
                // The wire's own converter (ISO 8601 with a Z) hides the type from the generator.
                schema.Type = JsonSchemaType.String | (Nullable.GetUnderlyingType(type) is null ? 0 : JsonSchemaType.Null);
                schema.Format = "date-time";
            }
            // Amounts and prices are decimals on the wire: a generated client keeps them decimal, not double.
            if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(decimal)) schema.Format = "decimal";
            if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
                && !typeof(IEdgeRequest).IsAssignableFrom(type) && schema.Properties is { Count: > 0 })
            {
                // The wire writes every property of a response, nulls too; only an entry's ctx is left out when empty.
                schema.Required = new HashSet<string>(context.JsonTypeInfo.Properties
                    .Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), false) != true)
                    .Select(p => p.Name));
            }
            return Task.CompletedTask;
        });
    });
}
