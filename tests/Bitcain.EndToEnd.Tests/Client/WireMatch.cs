using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Shouldly;

namespace Bitcain.EndToEnd.Tests.Client;

/// <summary>
/// Compares what the client made of a response with the response's own text, field by field: every field on the wire
/// has its typed property (nothing lands in <c>AdditionalProperties</c>), every amount is the exact decimal written,
/// every timestamp the instant written, every name the string written.
/// </summary>
public static class WireMatch
{
    public static void ShouldMatch(string wire, object typed) => Match(JsonNode.Parse(wire), typed, "$");

    private static void Match(JsonNode? wire, object? typed, string path)
    {
        if (wire is null)
        {
            (typed is null or JsonElement { ValueKind: JsonValueKind.Null }).ShouldBeTrue($"{path}: null on the wire, {typed} in the client");
            return;
        }
        typed.ShouldNotBeNull($"{path}: {wire.ToJsonString()} on the wire, null in the client");

        switch (typed)
        {
            case decimal amount:
                // The written number, digit for digit: 0.10000000 stays 0.10000000, never a binary double's neighbour.
                var text = wire.ToJsonString().Trim('"');
                var exact = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                amount.ShouldBe(exact, $"{path}: {text}");
                amount.Scale.ShouldBe(exact.Scale, $"{path}: {text}");
                break;
            case DateTimeOffset instant:
                var written = wire.GetValue<string>();
                written.ShouldEndWith("Z", Case.Sensitive, $"{path}: timestamps are UTC");
                instant.ShouldBe(DateTimeOffset.Parse(written, CultureInfo.InvariantCulture), $"{path}: {written}");
                break;
            case string s:
                wire.GetValue<string>().ShouldBe(s, path);
                break;
            case bool b:
                wire.GetValue<bool>().ShouldBe(b, path);
                break;
            case int or long:
                wire.GetValue<long>().ShouldBe(Convert.ToInt64(typed), path);
                break;
            case Guid g:
                Guid.Parse(wire.GetValue<string>()).ShouldBe(g, path);
                break;
            case Enum e:
                wire.GetValue<string>().ShouldBe(JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString()), path);
                break;
            case JsonElement element:
                JsonNode.DeepEquals(wire, JsonNode.Parse(element.GetRawText())).ShouldBeTrue($"{path}: {wire.ToJsonString()} vs {element.GetRawText()}");
                break;
            case IDictionary dictionary:
                var map = wire.AsObject();
                map.Select(p => p.Key).ShouldBe(dictionary.Keys.Cast<string>(), ignoreOrder: true, path);
                foreach (var (key, value) in map) Match(value, dictionary[key], $"{path}.{key}");
                break;
            case IEnumerable list when typed.GetType().Namespace != "Bitcain.Client":
                var items = list.Cast<object?>().ToList();
                var array = wire.AsArray();
                items.Count.ShouldBe(array.Count, path);
                for (var i = 0; i < items.Count; i++) Match(array[i], items[i], $"{path}[{i}]");
                break;
            default:
                MatchObject(wire.AsObject(), typed, path);
                break;
        }
    }

    private static void MatchObject(JsonObject wire, object typed, string path)
    {
        var type = typed.GetType();
        type.Namespace.ShouldBe("Bitcain.Client", $"{path}: {type} is not a generated type");
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.Property);
        var extra = (IDictionary<string, object>)type.GetProperty("AdditionalProperties")!.GetValue(typed)!;
        extra.Keys.ShouldBeEmpty($"{path}: fields the client has no property for");
        foreach (var (name, value) in wire)
        {
            properties.ShouldContainKey(name, $"{path}.{name} is on the wire but not in the client");
            Match(value, properties[name].GetValue(typed), $"{path}.{name}");
        }
    }
}
