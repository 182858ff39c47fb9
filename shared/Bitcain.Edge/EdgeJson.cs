using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bitcain.Edge;

/// <summary>FastAPI's wire format: snake_case, nulls written, timestamps ISO 8601 UTC with a Z.</summary>
public static class EdgeJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The same settings on the options minimal APIs write typed results with and the document's schemas come from.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Numbers are written as numbers and never read from strings here (request bodies are read by the
        // edge's rules), so the document says "number", not "number or numeric string".
        o.NumberHandling = JsonNumberHandling.Strict;
        // Readable quotes in messages ('foo' rather than \u0027foo\u0027), as FastAPI writes them; the body
        // is always served as application/json, never embedded in HTML.
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.Converters.Add(new UtcTimestampConverter());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return o;
    }

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            var utc = value.UtcDateTime;
            writer.WriteStringValue(utc.ToString(utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? "yyyy-MM-dd'T'HH:mm:ss'Z'"
                : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        }
    }
}
