using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges;

/// <summary>Exchanges send the same field as a JSON string or a JSON number; these read either, exactly.</summary>
internal static class JsonValues
{
    public static decimal Dec(this JsonElement e) => DecOrNull(e) ?? throw new FormatException($"expected a number, got {e.ValueKind}");

    public static decimal? DecOrNull(this JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => Trim(e.TryGetDecimal(out var d) ? d : decimal.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)),
        JsonValueKind.String when !string.IsNullOrWhiteSpace(e.GetString()) =>
            Trim(decimal.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)),
        _ => null,
    };

    /// <summary>"0.01000000" and 0.01 are the same amount; drop the trailing zeros so they also print the same.</summary>
    public static decimal Trim(decimal value) => value / 1.0000000000000000000000000000m;

    public static decimal? DecOrNull(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p) ? p.DecOrNull() : null;

    public static decimal Dec(this JsonElement e, string property) =>
        e.DecOrNull(property) ?? throw new FormatException($"missing number '{property}'");

    public static long Long(this JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetInt64(),
        JsonValueKind.String => long.Parse(e.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected an integer, got {e.ValueKind}"),
    };

    public static long Long(this JsonElement e, string property) => e.GetProperty(property).Long();

    public static string? Str(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    public static bool Bool(this JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => string.Equals(p.GetString(), "true", StringComparison.OrdinalIgnoreCase),
            JsonValueKind.Number => p.GetRawText() != "0",
            _ => false,
        };

    public static JsonElement? Prop(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p) ? p : null;

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Kraken's times are seconds with a fraction; ccxt keeps whole milliseconds, and so do we.</summary>
    public static DateTimeOffset FromUnixSecondsWithFraction(decimal seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Truncate(seconds * 1000m));
}
