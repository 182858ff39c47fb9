using System.Text.Json;

namespace Bitcain.ExchangeSimulator;

/// <summary>Recorded exchange payloads embedded in the assembly (see Fixtures/SOURCES.md).</summary>
internal static class Fixtures
{
    public static JsonDocument Load(string fileName)
    {
        using var stream = typeof(Fixtures).Assembly.GetManifestResourceStream("Fixtures." + fileName)
            ?? throw new InvalidOperationException($"Embedded fixture {fileName} is missing.");
        return JsonDocument.Parse(stream);
    }
}
