using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Bitcain.Exchanges;
using Bitcain.Gateway.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bitcain.Gateway.OpenApi;

/// <summary>
/// <c>/openapi.json</c> as ASP.NET Core's OpenAPI generator writes it from the endpoints' own metadata (names, typed
/// results, the request records), with transformers for what the contract adds: FastAPI's names for the error schemas,
/// the HTTPBearer scheme, the query parameters of the edge's records, and "every field of a response is always there".
/// The same document is written at build time to clients/Bitcain.Gateway.json.
/// </summary>
public static class GatewayDocument
{
    public const string Path = "/openapi.json";
    private const string Bearer = "HTTPBearer";

    /// <summary>
    /// True while the build runs the gateway only to write the document (Microsoft.Extensions.ApiDescription.Server):
    /// nothing is served, so no broker, no keys and no network are needed.
    /// </summary>
    public static bool IsBuildTime => Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static void AddGatewayDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        // Only the API's named operations: health probes, the document and /docs are not part of the contract.
        o.ShouldInclude = d => d.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any();
        // FastAPI's names for the 422 entries; free-form JSON (exchange_metadata) is any value, said in place.
        o.CreateSchemaReferenceId = t => t.Type == typeof(FieldError) ? "ValidationError"
            : (Nullable.GetUnderlyingType(t.Type) ?? t.Type) == typeof(JsonElement) ? null
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
        o.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAllowAnonymous>().Any())
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            if (metadata.OfType<EdgeParameters>().FirstOrDefault() is { } edge)
            {
                operation.Parameters ??= [];
                foreach (var spec in edge.Specs) operation.Parameters.Add(Parameter(spec));
            }
            if (metadata.OfType<EdgeBodyType>().FirstOrDefault() is { } body)
            {
                var name = body.Record.Name;
                context.Document!.AddComponent(name, await context.GetOrCreateSchemaAsync(body.Record, null, ct));
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, context.Document) } },
                };
            }
            foreach (var (status, response) in operation.Responses ?? [])
                if (response is OpenApiResponse r)
                    r.Description = status switch
                    {
                        "401" => "Not authenticated",
                        "404" => "Not Found",
                        "422" => "Validation Error",
                        _ => "Successful Response",
                    };
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
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(LiteralsAttribute), false).FirstOrDefault() is LiteralsAttribute literals
                && schema.Items is OpenApiSchema items)
                items.Enum = literals.Allowed.Select(a => (JsonNode)JsonValue.Create(a)).ToList();
            return Task.CompletedTask;
        });
    });

    /// <summary>A query parameter of an edge record, with its bounds said in words too: generated clients often drop <c>maximum</c>.</summary>
    private static OpenApiParameter Parameter(ParamSpec p)
    {
        var schema = new OpenApiSchema
        {
            Type = p.Kind switch
            {
                ParamKind.Integer => JsonSchemaType.Integer,
                ParamKind.Number => JsonSchemaType.Number,
                ParamKind.Boolean => JsonSchemaType.Boolean,
                _ => JsonSchemaType.String,
            },
            Format = p.Kind == ParamKind.DateTime ? "date-time" : null,
            MinLength = p.MinLength,
            MaxLength = p.MaxLength,
            Minimum = Invariant(p.Minimum),
            Maximum = Invariant(p.Maximum) ?? Invariant(p.NumberMaximum),
            ExclusiveMinimum = Invariant(p.GreaterThan),
            Default = p.Default is null ? null : JsonValue.Create(p.Default),
            Examples = p.Kind == ParamKind.Exchange ? ExchangeCatalog.Ids.Select(i => (JsonNode)JsonValue.Create(i)).ToList() : null,
        };
        if (!p.Required && p.Default is null) schema.Type |= JsonSchemaType.Null;
        return new OpenApiParameter
        {
            Name = p.Name,
            In = p.In == "path" ? ParameterLocation.Path : ParameterLocation.Query,
            Required = p.Required,
            Schema = schema,
            Description = Described(p),
        };
    }

    private static string? Invariant(object? value) => value is null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);

    private static string? Described(ParamSpec p)
    {
        var bounds = (p.Minimum, p.Maximum ?? (object?)p.NumberMaximum, p.GreaterThan) switch
        {
            ({ } ge, { } le, _) => FormattableString.Invariant($"From {ge} to {le}."),
            (_, { } le, { } gt) => FormattableString.Invariant($"Greater than {gt}, at most {le}."),
            (_, { } le, _) => FormattableString.Invariant($"At most {le}."),
            _ => null,
        };
        return bounds is null ? p.Description : p.Description is null ? bounds : $"{p.Description.TrimEnd('.')}. {bounds}";
    }
}
