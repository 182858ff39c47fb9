using YamlDotNet.RepresentationModel;

namespace Bitcain.Ops.Tests;

/// <summary>YAML documents as plain maps, lists and strings, so the checks read like the manifests.</summary>
public static class Yaml
{
    public static IReadOnlyList<Dictionary<string, object?>> LoadAll(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repository.Read(relativePath));
        stream.Load(reader);
        return stream.Documents
            .Select(d => Convert(d.RootNode))
            .OfType<Dictionary<string, object?>>()
            .ToList();
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Convert(kv.Value)),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Value is "" or "~" or "null" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? null : scalar.Value,
        _ => null,
    };

    public static Dictionary<string, object?> Map(this object? node, string key) =>
        (node as Dictionary<string, object?>)?.GetValueOrDefault(key) as Dictionary<string, object?> ?? [];

    public static List<object?> List(this object? node, string key) =>
        (node as Dictionary<string, object?>)?.GetValueOrDefault(key) as List<object?> ?? [];

    public static string? Str(this object? node, string key) =>
        (node as Dictionary<string, object?>)?.GetValueOrDefault(key) as string;

    public static bool Has(this object? node, string key) =>
        node is Dictionary<string, object?> map && map.ContainsKey(key);
}
