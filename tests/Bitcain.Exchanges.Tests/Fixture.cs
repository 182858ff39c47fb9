using System.Text.Json;

namespace Bitcain.Exchanges.Tests;

/// <summary>The recorded payloads copied from /work/shared/exchanges/fixtures (see Fixtures/raw/SOURCES.md).</summary>
internal static class Fixture
{
    public static string Text(string relativePath) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));

    public static JsonElement Json(string relativePath) => JsonDocument.Parse(Text(relativePath)).RootElement;

    /// <summary>One node of a JSON fixture, as its own JSON text (ccxt's httpResponse, a docs example...).</summary>
    public static string Raw(JsonElement element) => element.GetRawText();

    public static decimal Dec(JsonElement element) => decimal.Parse(element.GetRawText(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
}
