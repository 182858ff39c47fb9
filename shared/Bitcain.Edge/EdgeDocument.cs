using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bitcain.Edge;

/// <summary>
/// What ASP.NET Core's OpenAPI generator cannot see of the edge's records, since they bind themselves: the query
/// parameters of an <see cref="EdgeQuery{TSelf}"/>, the request body of an <see cref="EdgeBody{TSelf}"/>, the literals
/// of a list, and FastAPI's name for a 422 entry (<c>ValidationError</c>).
/// </summary>
public static class EdgeDocument
{
    /// <summary>
    /// True when the build runs the application only to write its OpenAPI document (Microsoft.Extensions.ApiDescription.Server):
    /// nothing is served, so no broker, no keys and no network are needed.
    /// </summary>
    public static bool IsBuildTime => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static OpenApiOptions AddEdgeRequests(this OpenApiOptions o)
    {
        var named = o.CreateSchemaReferenceId;
        o.CreateSchemaReferenceId = t => t.Type == typeof(FieldError) ? "ValidationError" : named(t);
        o.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
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
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(LiteralsAttribute), false).FirstOrDefault() is LiteralsAttribute literals
                && schema.Items is OpenApiSchema items)
                items.Enum = literals.Allowed.Select(a => (JsonNode)JsonValue.Create(a)).ToList();
            return Task.CompletedTask;
        });
        return o;
    }

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
            Examples = p.Rule?.Examples?.Select(i => (JsonNode)JsonValue.Create(i)).ToList(),
        };
        if (!p.Required && p.Default is null) schema.Type |= JsonSchemaType.Null;
        return new OpenApiParameter
        {
            Name = p.Name,
            In = ParameterLocation.Query,
            Required = p.Required,
            Schema = schema,
            Description = Described(p),
        };
    }

    private static string? Invariant(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

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
