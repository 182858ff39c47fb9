using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitcain.Client.Generator;

/// <summary>
/// The gateway's document is OpenAPI 3.1 (JSON Schema 2020-12); NSwag reads OpenAPI 3.0. The few 3.1 idioms the
/// document uses are said again the 3.0 way, so a nullable field is a nullable C# property and an amount a decimal:
/// <list type="bullet">
/// <item><c>"type": ["string", "null"]</c> and <c>anyOf: [S, {"type": "null"}]</c> are S with <c>nullable: true</c>;</item>
/// <item><c>"type": ["number", "string"]</c> (how ASP.NET Core's generator says a number may also be read from a
/// string) is the number, and the pattern of its string form goes;</item>
/// <item>a numeric <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> is the 3.0 bound with its boolean flag;</item>
/// <item><c>examples</c> (a list) is 3.0's single <c>example</c>;</item>
/// <item><c>anyOf</c> of bare primitive types (a 422's <c>loc</c> items: a name or an index) is any JSON value;</item>
/// <item>an inline string enumeration is one named schema (<c>permissions</c> items: <c>Permission</c>), shared by every
/// body that lists the same values, instead of one C# enum per body.</item>
/// </list>
/// </summary>
public static class OpenApi31
{
    public static string AsNSwagReadsIt(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document["openapi"] = "3.0.3";
        Walk(document);
        if (document["components"]?["schemas"] is JsonObject schemas)
        {
            foreach (var (name, schema) in schemas.ToList()) NameEnumerations(schema, name, schemas, isComponent: true);
            if (document["paths"] is JsonObject paths) NameEnumerations(paths, null, schemas, isComponent: false);
        }
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                Normalize(o);
                foreach (var (_, child) in o.ToList()) Walk(child);
                break;
            case JsonArray a:
                foreach (var child in a) Walk(child);
                break;
        }
    }

    private static void Normalize(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var names = types.Select(t => t!.GetValue<string>()).ToList();
            if (names.Remove("null")) schema["nullable"] = true;
            if (names.Count > 1 && names.Contains("string") && names.Any(n => n is "number" or "integer"))
            {
                names.Remove("string");
                schema.Remove("pattern");
            }
            schema["type"] = names.Count == 1 ? names[0] : new JsonArray(names.Select(n => (JsonNode)n!).ToArray());
            if (names.Count == 0) schema.Remove("type");
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema[keyword] is not JsonArray options) continue;
            if (options.Count > 1 && options.All(o => o is JsonObject { Count: 1 } bare && bare["type"] is JsonValue t && t.GetValue<string>() != "null"))
            {
                schema.Remove(keyword);
                continue;
            }
            var nulls = options.Where(IsNullSchema).ToList();
            if (nulls.Count == 0) continue;
            foreach (var n in nulls) options.Remove(n);
            schema["nullable"] = true;
            if (options.Count != 1) continue;
            // The one remaining schema is the field's: its keywords move up beside the title, default and description.
            var only = options[0]!.AsObject();
            schema.Remove(keyword);
            foreach (var (key, value) in only.ToList())
            {
                if (schema.ContainsKey(key)) continue;
                only.Remove(key);
                schema[key] = value;
            }
            // A $ref beside other keywords is ignored by 3.0 readers; allOf keeps the reference and the nullability.
            if (schema["$ref"] is JsonNode reference)
            {
                schema.Remove("$ref");
                schema["allOf"] = new JsonArray(new JsonObject { ["$ref"] = reference });
            }
        }

        foreach (var (exclusive, bound) in new[] { ("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum") })
        {
            if (schema[exclusive] is JsonValue value && value.TryGetValue<decimal>(out var limit))
            {
                schema[bound] = limit;
                schema[exclusive] = true;
            }
        }

        if (schema["examples"] is JsonArray { Count: > 0 } examples && IsSchema(schema))
        {
            schema.Remove("examples");
            schema["example"] ??= examples[0]!.DeepClone();
        }
    }

    private static void NameEnumerations(JsonNode? node, string? name, JsonObject schemas, bool isComponent)
    {
        if (node is JsonArray array)
        {
            foreach (var child in array) NameEnumerations(child, name, schemas, false);
            return;
        }
        if (node is not JsonObject o) return;
        if (!isComponent && name is not null && o["enum"] is JsonArray values && o["type"] is JsonValue type && type.GetValue<string>() == "string")
        {
            var typeName = SnakeCase.ToPascal(name);
            var existing = schemas.FirstOrDefault(s => s.Value is JsonObject e && e["enum"] is JsonArray v && JsonNode.DeepEquals(v, values)).Key;
            if (existing is null)
            {
                while (schemas.ContainsKey(typeName)) typeName += "Value";
                schemas[typeName] = new JsonObject { ["type"] = "string", ["title"] = typeName, ["enum"] = values.DeepClone() };
                existing = typeName;
            }
            foreach (var key in new[] { "type", "enum" }) o.Remove(key);
            o["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{existing}" });
            return;
        }
        foreach (var (key, child) in o.ToList())
        {
            if (key == "properties" && child is JsonObject properties)
            {
                foreach (var (property, schema) in properties.ToList()) NameEnumerations(schema, property, schemas, false);
                continue;
            }
            var childName = key switch
            {
                "items" => Singular(name),
                // A parameter's schema is named by the parameter.
                "schema" when o["name"] is JsonValue parameter => parameter.GetValue<string>(),
                "additionalProperties" or "allOf" or "anyOf" or "oneOf" or "schema" => name,
                _ => null,
            };
            NameEnumerations(child, childName, schemas, false);
        }
    }

    private static string? Singular(string? name) => name is { Length: > 1 } n && n.EndsWith('s') && !n.EndsWith("ss", StringComparison.Ordinal) ? n[..^1] : name;

    private static bool IsNullSchema(JsonNode? node) => node is JsonObject o && o["type"] is JsonValue t && t.TryGetValue<string>(out var s) && s == "null";

    // An operation's or a media type's "examples" is a map of named examples, not a schema's list.
    private static bool IsSchema(JsonObject o) => o.ContainsKey("type") || o.ContainsKey("$ref") || o.ContainsKey("title");
}
