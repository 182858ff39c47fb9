using Bitcain.Client.Generator;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;

// Bitcain.Client.Generator <openapi.json> <output.cs>: writes the C# client of the gateway from its OpenAPI document.
// Bitcain.Client's build runs it before compiling, so a new document (the gateway build writes it) is a new client
// with no hand edits.
if (args is not [var input, var output])
{
    Console.Error.WriteLine("usage: Bitcain.Client.Generator <openapi.json> <output.cs>");
    return 2;
}

var document = await NSwag.OpenApiDocument.FromJsonAsync(OpenApi31.AsNSwagReadsIt(await File.ReadAllTextAsync(input)));

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

var code = new CSharpClientGenerator(document, settings).GenerateFile();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
// Rewritten only when it changed, so a rebuilt generator that writes the same code does not make the client compile
// again; touched either way, so the build sees the output newer than its inputs and skips this until they change.
if (!File.Exists(output) || await File.ReadAllTextAsync(output) != code)
    await File.WriteAllTextAsync(output, code);
else
    File.SetLastWriteTimeUtc(output, DateTime.UtcNow);
return 0;
