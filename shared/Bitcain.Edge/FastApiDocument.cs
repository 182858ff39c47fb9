using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bitcain.Edge;

/// <summary>
/// The OpenAPI document as FastAPI writes it, from ASP.NET Core's generator: the edge's records (<see cref="EdgeDocument"/>),
/// the HTTPBearer scheme on every operation that is not anonymous, FastAPI's response descriptions, the wire's types
/// (<see cref="EdgeJson"/>'s timestamps, decimals) and "every field of a response is always there".
/// </summary>
public static class FastApiDocument
{
    private const string Bearer = "HTTPBearer";

    public static OpenApiOptions AddFastApiDocument(this OpenApiOptions o, OpenApiInfo info)
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        // Free-form JSON (exchange_metadata) is any value, said in place.
        o.CreateSchemaReferenceId = t => (Nullable.GetUnderlyingType(t.Type) ?? t.Type) == typeof(JsonElement) ? null
            : OpenApiOptions.CreateDefaultSchemaReferenceId(t);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = info;
            // The server is wherever the application runs; the build-time copy and the served one must be the same bytes.
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
            if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object
                && !typeof(IEdgeRequest).IsAssignableFrom(type) && schema.Properties is { Count: > 0 })
            {
                // The wire writes every property of a response, nulls too; only an entry's ctx is left out when empty.
                schema.Required = new HashSet<string>(context.JsonTypeInfo.Properties
                    .Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), false) != true)
                    .Select(p => p.Name));
            }
            return Task.CompletedTask;
        });
        return o;
    }
}
