using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.Exchanges;
using Bitcain.Gateway.Http;

namespace Bitcain.Gateway.OpenApi;

/// <summary>Builds the OpenAPI 3.1 document of the gateway from its <see cref="ApiCatalog"/>.</summary>
public static class OpenApiDocument
{
    public static JsonObject Build(ApiCatalog catalog)
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();

        foreach (var group in catalog.Endpoints.GroupBy(e => e.Path))
        {
            var item = new JsonObject();
            foreach (var e in group) item[e.Method.ToLowerInvariant()] = Operation(e, schemas);
            paths[group.Key] = item;
        }

        schemas["ValidationError"] = JsonNode.Parse("""
            {"type":"object","title":"ValidationError","required":["loc","msg","type"],"properties":{
              "loc":{"type":"array","items":{"anyOf":[{"type":"string"},{"type":"integer"}]}},
              "msg":{"type":"string"},"type":{"type":"string"},"input":{},"ctx":{"type":"object"}}}
            """);
        schemas["HTTPValidationError"] = JsonNode.Parse("""
            {"type":"object","title":"HTTPValidationError","properties":{"detail":{"type":"array","items":{"$ref":"#/components/schemas/ValidationError"}}}}
            """);
        schemas["ErrorDetail"] = JsonNode.Parse("""{"type":"object","title":"ErrorDetail","properties":{"detail":{"type":"string"}}}""");

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Bitcain exchange API",
                ["version"] = "1.0.0",
                ["description"] = "Exchange connectivity: credentials, balances, trades, market data and the audit trail.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject { ["HTTPBearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
            },
        };
    }

    private static JsonObject Operation(EndpointDoc e, JsonObject schemas)
    {
        var op = new JsonObject
        {
            ["tags"] = new JsonArray(e.Tag),
            ["summary"] = e.Summary,
            ["operationId"] = e.OperationId,
        };
        if (e.Description is not null) op["description"] = e.Description;
        if (!e.Anonymous) op["security"] = new JsonArray(new JsonObject { ["HTTPBearer"] = new JsonArray() });

        if (e.AllParameters.Count > 0)
            op["parameters"] = new JsonArray(e.AllParameters.Select(p => (JsonNode)Parameter(p)).ToArray());

        if (e.Body is { } body)
        {
            schemas[body.SchemaName] = BodySchema(body);
            op["requestBody"] = new JsonObject
            {
                ["required"] = body.Required,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(body.SchemaName) } },
            };
        }

        var responses = new JsonObject
        {
            [e.SuccessStatus.ToString()] = new JsonObject
            {
                ["description"] = "Successful Response",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = e.Response is null ? new JsonObject() : TypeSchema(e.Response, schemas) } },
            },
        };
        if (e.AllParameters.Count > 0 || e.Body is not null)
            responses["422"] = ErrorResponse("Validation Error", "HTTPValidationError");
        if (!e.Anonymous) responses["401"] = ErrorResponse("Not authenticated", "ErrorDetail");
        op["responses"] = responses;
        return op;
    }

    private static JsonObject ErrorResponse(string description, string schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(schema) } },
    };

    private static JsonObject Parameter(ParamSpec p)
    {
        var schema = p.Kind switch
        {
            ParamKind.Integer => new JsonObject { ["type"] = "integer" },
            ParamKind.Number => new JsonObject { ["type"] = "number" },
            ParamKind.Boolean => new JsonObject { ["type"] = "boolean" },
            ParamKind.DateTime => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            ParamKind.Exchange => new JsonObject { ["type"] = "string", ["examples"] = new JsonArray(ExchangeCatalog.Ids.Select(i => (JsonNode)i!).ToArray()) },
            _ => new JsonObject { ["type"] = "string" },
        };
        if (p.MinLength is { } min) schema["minLength"] = min;
        if (p.MaxLength is { } max) schema["maxLength"] = max;
        if (p.Minimum is { } ge) schema["minimum"] = ge;
        if (p.Maximum is { } le) schema["maximum"] = le;
        if (p.GreaterThan is { } gt) schema["exclusiveMinimum"] = gt;
        if (p.NumberMaximum is { } nle) schema["maximum"] = nle;
        if (p.Default is not null) schema["default"] = JsonSerializer.SerializeToNode(p.Default is ExchangeDescriptor d ? d.Id : p.Default);
        if (!p.Required && p.Default is null) schema = new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        schema["title"] = Title(p.Name);

        var parameter = new JsonObject { ["name"] = p.Name, ["in"] = p.In, ["required"] = p.Required, ["schema"] = schema };
        if (Described(p) is { } description) parameter["description"] = description;
        return parameter;
    }

    /// <summary>A numeric parameter's bounds are said in words too: generated clients often drop <c>maximum</c>.</summary>
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

    private static JsonObject BodySchema(BodySpec body)
    {
        var properties = new JsonObject();
        foreach (var f in body.Fields)
        {
            JsonObject s = f.Kind switch
            {
                FieldKind.Boolean => new JsonObject { ["type"] = "boolean" },
                FieldKind.Object => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
                FieldKind.LiteralList => new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray((f.Allowed ?? []).Select(a => (JsonNode)a!).ToArray()) },
                },
                FieldKind.AddressList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                _ => new JsonObject { ["type"] = "string" },
            };
            if (f.MinLength is { } min) s["minLength"] = min;
            if (f.MaxLength is { } max) s["maxLength"] = max;
            if (f.Nullable) s = new JsonObject { ["anyOf"] = new JsonArray(s, new JsonObject { ["type"] = "null" }) };
            if (f.Default is not null) s["default"] = JsonSerializer.SerializeToNode(f.Default);
            s["title"] = Title(f.Name);
            if (f.Description is not null) s["description"] = f.Description;
            properties[f.Name] = s;
        }
        var schema = new JsonObject { ["type"] = "object", ["title"] = body.SchemaName, ["properties"] = properties };
        var required = body.Fields.Where(f => f.Required).Select(f => (JsonNode)f.Name!).ToArray();
        if (required.Length > 0) schema["required"] = new JsonArray(required);
        return schema;
    }

    private static readonly NullabilityInfoContext Nullability = new();

    private static JsonNode TypeSchema(Type type, JsonObject schemas)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Nullable_(TypeSchema(underlying, schemas));
        if (type == typeof(string) || type == typeof(Guid)) return new JsonObject { ["type"] = "string" };
        if (type == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (type == typeof(int) || type == typeof(long)) return new JsonObject { ["type"] = "integer" };
        if (type == typeof(decimal) || type == typeof(double)) return new JsonObject { ["type"] = "number" };
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        if (type == typeof(JsonElement) || type == typeof(object)) return new JsonObject { ["type"] = "object", ["additionalProperties"] = true };

        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(dictionary.GetGenericArguments()[1], schemas) };

        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(object);
            return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(element, schemas) };
        }

        var name = type.Name;
        if (!schemas.ContainsKey(name))
        {
            schemas[name] = new JsonObject(); // placeholder against recursion
            var properties = new JsonObject();
            var required = new JsonArray();
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var wire = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name);
                var schema = TypeSchema(p.PropertyType, schemas);
                if (!p.PropertyType.IsValueType && Nullability.Create(p).ReadState == NullabilityState.Nullable)
                    schema = Nullable_(schema);
                properties[wire] = schema;
                required.Add(wire);
            }
            schemas[name] = new JsonObject { ["type"] = "object", ["title"] = name, ["properties"] = properties, ["required"] = required };
        }
        return Ref(name);
    }

    private static JsonObject Nullable_(JsonNode schema) =>
        new() { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };

    private static JsonObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    private static string Title(string name) =>
        string.Join(' ', name.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
}
