using NJsonSchema;
using NJsonSchema.CodeGeneration;
using NSwag;
using NSwag.CodeGeneration;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Bitcain.Client.Generator;

/// <summary>C# names from the contract's snake_case ones: <c>api_key_masked</c> is <c>ApiKeyMasked</c> (NSwag's own
/// generators would keep the underscores: <c>Api_key_masked</c>).</summary>
internal static class SnakeCase
{
    public static string ToPascal(string name)
    {
        var words = name.Split(c => !char.IsAsciiLetterOrDigit(c));
        var pascal = string.Concat(words.Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        return pascal.Length == 0 || char.IsAsciiDigit(pascal[0]) ? "_" + pascal : pascal;
    }

    public static string ToCamel(string name)
    {
        var pascal = ToPascal(name);
        return pascal[0] == '_' ? pascal : char.ToLowerInvariant(pascal[0]) + pascal[1..];
    }

    private static string[] Split(this string text, Func<char, bool> separator)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !separator(text[i])) continue;
            words.Add(text[start..i]);
            start = i + 1;
        }
        return [.. words];
    }
}

/// <summary>One client, one method per operation, named by its operationId.</summary>
internal sealed class OperationIdNames : IOperationNameGenerator
{
    public bool SupportsMultipleClients => false;

    public string GetClientName(OpenApiDocument document, string path, string httpMethod, OpenApiOperation operation) => "";

    public string GetOperationName(OpenApiDocument document, string path, string httpMethod, OpenApiOperation operation) =>
        SnakeCase.ToPascal(operation.OperationId ?? throw new InvalidOperationException($"{httpMethod.ToUpperInvariant()} {path} has no operationId: the client names its method by it."));
}

internal sealed class CamelCaseParameterNames : IParameterNameGenerator
{
    public string Generate(OpenApiParameter parameter, IEnumerable<OpenApiParameter> allParameters) => SnakeCase.ToCamel(parameter.Name);
}

internal sealed class PascalCasePropertyNames : IPropertyNameGenerator
{
    public string Generate(JsonSchemaProperty property) => SnakeCase.ToPascal(property.Name);
}
