using System.Collections;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bitcain.Edge;

public enum FieldKind
{
    String,
    Boolean,
    Object,

    /// <summary>A list of strings: each one of <see cref="BodyField.Allowed"/> when given, each read by the field's rule when given.</summary>
    List,
}

/// <summary>
/// One field of a JSON request body: validates it and describes it in <c>/openapi.json</c>. A string field with a
/// <see cref="Rule"/> holds what the rule read from it; a list with one, what it read from each item.
/// </summary>
public sealed record BodyField(
    string Name,
    FieldKind Kind,
    bool Required = false,
    bool Nullable = false,
    object? Default = null,
    int? MinLength = null,
    int? MaxLength = null,
    IReadOnlyList<string>? Allowed = null,
    string? Description = null,
    ValueReader? Rule = null);

public sealed record BodySpec(IReadOnlyList<BodyField> Fields);

/// <summary>A request body read against its spec: the fields present (typed), or the 422 entries.</summary>
public sealed class BodyValues
{
    private readonly Dictionary<string, object?> _values = new();
    public List<FieldError> Errors { get; } = [];
    public bool IsValid => Errors.Count == 0;

    public string? String(string name) => _values.GetValueOrDefault(name) as string;
    public bool? Boolean(string name) => _values.GetValueOrDefault(name) as bool?;
    public JsonElement? Object(string name) => _values.GetValueOrDefault(name) as JsonElement?;
    public IReadOnlyList<string>? List(string name) => _values.GetValueOrDefault(name) as IReadOnlyList<string>;

    /// <summary>The typed value of a field, such as what its value rule read.</summary>
    public object? Value(string name) => _values.GetValueOrDefault(name);

    public void Add(FieldError error) => Errors.Add(error);

    public static async Task<BodyValues> ReadAsync(HttpRequest request, BodySpec spec, long maxBytes, CancellationToken ct)
    {
        var result = new BodyValues();
        var bytes = await ReadLimitedAsync(request, maxBytes, ct);
        if (bytes is null) throw new BodyTooLargeException(maxBytes);

        if (bytes.Length == 0 || IsWhitespace(bytes))
        {
            result.Errors.Add(new FieldError("missing", ["body"], "Field required", null));
            return result;
        }

        if (!IsJson(request.ContentType))
        {
            // FastAPI parses JSON only when the type says JSON (or says nothing); any other body reaches the model as
            // raw bytes, which is not an object. The echoed input is masked (SecretInputs): it is the whole body.
            result.Errors.Add(new FieldError("model_attributes_type", ["body"],
                "Input should be a valid dictionary or object to extract fields from", Encoding.UTF8.GetString(bytes)));
            return result;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            result.Errors.Add(new FieldError("json_invalid", ["body", Offset(bytes, e)], "JSON decode error", new Dictionary<string, object?>(),
                new Dictionary<string, object?> { ["error"] = DecodeMessage(e) }));
            return result;
        }

        using (document)
        {
            var root = document.RootElement;
            if (RequestText.FindInBody(root) is { } unreadable)
            {
                result.Errors.Add(unreadable);
                return result;
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                result.Errors.Add(new FieldError("model_attributes_type", ["body"],
                    "Input should be a valid dictionary or object to extract fields from", root.Clone()));
                return result;
            }
            foreach (var field in spec.Fields) result.ReadField(root, field);
        }
        return result;
    }

    private void ReadField(JsonElement root, BodyField field)
    {
        var loc = new object[] { "body", field.Name };
        if (!root.TryGetProperty(field.Name, out var element))
        {
            if (field.Required) Errors.Add(new FieldError("missing", loc, "Field required", root.Clone()));
            else _values[field.Name] = field.Default;
            return;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            if (field.Nullable) _values[field.Name] = null;
            else Errors.Add(TypeError(field, loc, element));
            return;
        }

        switch (field.Kind)
        {
            case FieldKind.String:
                if (element.ValueKind != JsonValueKind.String) { Errors.Add(TypeError(field, loc, element)); return; }
                var s = element.GetString()!;
                if (field.MinLength is { } min && s.Length < min) { Errors.Add(FieldError.TooShort(loc, s, min)); return; }
                if (field.MaxLength is { } max && s.Length > max) { Errors.Add(FieldError.TooLong(loc, s, max)); return; }
                if (field.Rule is not { } rule) _values[field.Name] = s;
                else if (rule.TryRead(s, out var read, out var message)) _values[field.Name] = read;
                else Errors.Add(FieldError.ValueError(loc, s, message));
                return;

            case FieldKind.Boolean:
                if (element.ValueKind is JsonValueKind.True or JsonValueKind.False) { _values[field.Name] = element.GetBoolean(); return; }
                if (element.ValueKind == JsonValueKind.String && ParamValues.TryParseBool(element.GetString()!, out var b)) { _values[field.Name] = b; return; }
                if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var n) && n is 0 or 1) { _values[field.Name] = n == 1; return; }
                Errors.Add(element.ValueKind == JsonValueKind.String
                    ? new FieldError("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", element.Clone())
                    : TypeError(field, loc, element));
                return;

            case FieldKind.Object:
                if (element.ValueKind != JsonValueKind.Object) { Errors.Add(TypeError(field, loc, element)); return; }
                _values[field.Name] = element.Clone();
                return;

            case FieldKind.List:
                ReadList(field, loc, element);
                return;
        }
    }

    private void ReadList(BodyField field, object[] loc, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array) { Errors.Add(TypeError(field, loc, element)); return; }
        var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(field.Rule?.Target ?? typeof(string)))!;
        var index = 0;
        var before = Errors.Count;
        foreach (var item in element.EnumerateArray())
        {
            var itemLoc = new object[] { "body", field.Name, index++ };
            if (item.ValueKind != JsonValueKind.String)
            {
                Errors.Add(new FieldError("string_type", itemLoc, "Input should be a valid string", item.Clone()));
                continue;
            }
            var value = item.GetString()!;
            if (field.Allowed is { } allowed)
            {
                var normalized = value.Trim().ToLowerInvariant();
                if (!allowed.Contains(normalized)) Errors.Add(FieldError.Literal(itemLoc, value, allowed));
                else if (!items.Contains(normalized)) items.Add(normalized);
            }
            else if (field.Rule is { } rule)
            {
                if (rule.TryRead(value, out var read, out var message)) items.Add(read);
                else Errors.Add(FieldError.ValueError(itemLoc, value, message));
            }
            else items.Add(value);
        }
        if (Errors.Count == before) _values[field.Name] = items;
    }

    private static FieldError TypeError(BodyField field, object[] loc, JsonElement element)
    {
        var input = element.Clone();
        return field.Kind switch
        {
            FieldKind.String => new FieldError("string_type", loc, "Input should be a valid string", input),
            FieldKind.Boolean => new FieldError("bool_type", loc, "Input should be a valid boolean", input),
            FieldKind.Object => new FieldError("dict_type", loc, "Input should be a valid dictionary", input),
            _ => new FieldError("list_type", loc, "Input should be a valid list", input),
        };
    }

    /// <summary>FastAPI's rule: no Content-Type, <c>application/json</c> or <c>application/*+json</c>, parameters ignored.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        var type = contentType.Split(';')[0].Trim();
        var slash = type.IndexOf('/');
        if (slash < 0 || !type[..slash].Equals("application", StringComparison.OrdinalIgnoreCase)) return false;
        var subtype = type[(slash + 1)..];
        return subtype.Equals("json", StringComparison.OrdinalIgnoreCase) || subtype.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsWhitespace(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t');

    private static int Offset(byte[] bytes, JsonException e)
    {
        // pydantic reports the character position of the error in the document.
        var line = (int)(e.LineNumber ?? 0);
        var column = (int)(e.BytePositionInLine ?? 0);
        var text = Encoding.UTF8.GetString(bytes);
        var offset = 0;
        for (var i = 0; i < line && offset >= 0; i++) offset = text.IndexOf('\n', offset) + 1;
        return Math.Max(0, offset) + column;
    }

    private static string DecodeMessage(JsonException e)
    {
        // System.Text.Json appends where it stopped ("... LineNumber: 0 | BytePositionInLine: 18."); loc has that already.
        var m = e.Message;
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = m.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) m = m[..cut];
        }
        return m.TrimEnd();
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; null when the body is larger (nothing beyond the limit is buffered).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

public sealed class BodyTooLargeException(long limit) : Exception($"Request body is larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}
