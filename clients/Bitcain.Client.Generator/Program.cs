using Bitcain.Client.Generator;

// Bitcain.Client.Generator <openapi.json> <output.cs>: writes the C# client of the gateway from its OpenAPI document.
// Bitcain.Client's build runs it before compiling, so a new document (the gateway build writes it) is a new client
// with no hand edits.
if (args is not [var input, var output])
{
    Console.Error.WriteLine("usage: Bitcain.Client.Generator <openapi.json> <output.cs>");
    return 2;
}

var code = await ClientCode.GenerateAsync(await File.ReadAllTextAsync(input));
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
// Rewritten only when it changed, so a rebuilt generator that writes the same code does not make the client compile
// again; touched either way, so the build sees the output newer than its inputs and skips this until they change.
if (!File.Exists(output) || await File.ReadAllTextAsync(output) != code)
    await File.WriteAllTextAsync(output, code);
else
    File.SetLastWriteTimeUtc(output, DateTime.UtcNow);
return 0;
