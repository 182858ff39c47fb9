using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitcain.Edge;

/// <summary>
/// pydantic echoes the input of every error, and a 422 body ends up in browser consoles, proxies and bug reports: the
/// values of secret fields are replaced by <see cref="Mask"/> wherever they would appear (an error on the field itself,
/// or the whole body that a model-level error such as <c>missing</c> echoes). A body that is not an object cannot say
/// which of its values are secret, so a string or list there is masked whole. The secret names are the wire names of
/// every <see cref="SecretAttribute"/> property of the edge records (each record declares its own when its spec is
/// built, which is when its endpoint is built, before any request is routed), and they count on any 422: an error an endpoint makes itself
/// about such a field is masked the same way.
/// </summary>
public static class SecretInputs
{
    public const string Mask = "**********";
    private static ImmutableHashSet<string> _names = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    public static IReadOnlySet<string> Names => _names;

    internal static void Declare(IEnumerable<string> names) => ImmutableInterlocked.Update(ref _names, (set, add) => set.Union(add), names);

    public static FieldError Redact(FieldError error)
    {
        if (error.Input is null) return error;
        // A missing field's error echoes the object that lacks it, not a value of the field.
        var echoesItsObject = error.Type == "missing" && error.Input is JsonElement { ValueKind: JsonValueKind.Object };
        if (!echoesItsObject && error.Loc.Any(l => l is string s && Names.Contains(s))) return error with { Input = Mask };
        if (error.Loc.Count == 1 && error.Input is string or JsonElement { ValueKind: JsonValueKind.String or JsonValueKind.Array }) return error with { Input = Mask };
        if (error.Input is not JsonElement element) return error;
        return ContainsSecret(element) ? error with { Input = Masked(JsonNode.Parse(element.GetRawText())) } : error;
    }

    private static bool ContainsSecret(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => Names.Contains(p.Name) || ContainsSecret(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(ContainsSecret),
        _ => false,
    };

    private static JsonNode? Masked(JsonNode? node)
    {
        MaskIn(node);
        return node;
    }

    private static void MaskIn(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var name in o.Select(p => p.Key).ToList())
                if (Names.Contains(name) && o[name] is not null) o[name] = Mask;
                else MaskIn(o[name]);
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a) MaskIn(item);
        }
    }
}
