using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator;

internal static class SimJson
{
    /// <summary>Property names are written exactly as declared: the exchanges' own spellings, not a naming policy.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Exchanges write '+' and '/' as is (Kraken keys, "+0000" in rfc1123); the default encoder would escape them.</summary>
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, value.GetType(), Options, context.RequestAborted);
    }

    public static async Task WriteRawAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }
}
