using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace Bitcain.Client.Generator;

/// <summary>The C# of the client for an OpenAPI document (3.0, or 3.1 as the gateway writes it).</summary>
public static class ClientCode
{
    public static async Task<string> GenerateAsync(string openApiJson)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(OpenApi31.AsNSwagReadsIt(openApiJson));
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "BitcainClient",
            GenerateClientInterfaces = true,
            // The caller's HttpClient carries the gateway's address (BaseAddress) and its handlers; the client never owns it.
            UseBaseUrl = false,
            InjectHttpClient = true,
            DisposeHttpClient = false,
            GenerateOptionalParameters = true,
            GenerateExceptionClasses = true,
            ExceptionClass = "BitcainApiException",
            // A user asks by the contract's names: one method per operationId (store_credentials -> StoreCredentialsAsync).
            OperationNameGenerator = new OperationIdNames(),
            ParameterNameGenerator = new CamelCaseParameterNames(),
            GenerateResponseClasses = false,
            WrapResponses = false,
            // Timestamps in a query keep their offset ("s", NSwag's default, would send a local time as if it were UTC).
            ParameterDateTimeFormat = "o",
            ParameterArrayType = "System.Collections.Generic.IEnumerable",
            ResponseArrayType = "System.Collections.Generic.IReadOnlyList",
            ResponseDictionaryType = "System.Collections.Generic.IReadOnlyDictionary",
            CSharpGeneratorSettings =
            {
                Namespace = "Bitcain.Client",
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                ClassStyle = CSharpClassStyle.Poco,
                GenerateDataAnnotations = false,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
                // Amounts are decimals in the contract, never binary floating point: 0.1 BTC must read as exactly 0.1.
                NumberType = "decimal",
                NumberDecimalType = "decimal",
                NumberDoubleType = "decimal",
                NumberFloatType = "decimal",
                DateTimeType = "System.DateTimeOffset",
                ArrayType = "System.Collections.Generic.IReadOnlyList",
                ArrayInstanceType = "System.Collections.Generic.List",
                DictionaryType = "System.Collections.Generic.IReadOnlyDictionary",
                DictionaryInstanceType = "System.Collections.Generic.Dictionary",
                AnyType = "System.Text.Json.JsonElement",
                PropertyNameGenerator = new PascalCasePropertyNames(),
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }
}
