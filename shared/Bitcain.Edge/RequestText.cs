using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Bitcain.Edge;

/// <summary>
/// Text a store behind the edge cannot hold is refused at the edge as a 422 naming where it was: bytes that are not UTF-8 (a
/// lone surrogate, an overlong form) and NUL, which PostgreSQL refuses in text and jsonb alike. ASP.NET Core leaves
/// invalid percent-escapes in the decoded query and path as they came, so the raw request target is what is read.
/// </summary>
public static class RequestText
{
    public const string UnicodeMsg = "Input should be a valid string, unable to parse raw data as a unicode string";
    public const string NulMsg = "Value error, the text contains a NUL character, which cannot be stored";

    public static FieldError Unicode(IReadOnlyList<object> loc) => new("string_unicode", loc, UnicodeMsg, null);

    public static FieldError Nul(IReadOnlyList<object> loc) =>
        new("value_error", loc, NulMsg, null, new Dictionary<string, object?> { ["error"] = new { } });

    /// <summary>The first unreadable text of the request's path or query, located by the endpoint's route pattern.</summary>
    public static FieldError? Find(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint ? Find(context, endpoint.RoutePattern) : null;

    private static FieldError? Find(HttpContext context, RoutePattern pattern)
    {
        // The raw target is the path as sent; a test server or an absolute-form target has none, and then the decoded
        // path still holds every escape that did not decode.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var path = string.IsNullOrEmpty(target) || target[0] != '/' ? context.Request.Path.Value ?? "" : target.Split('?')[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            if (Check(Unescape(segments[i], plusIsSpace: false)) is not { } bad) continue;
            var name = i < pattern.PathSegments.Count && pattern.PathSegments[i].Parts.OfType<RoutePatternParameterPart>().FirstOrDefault() is { } p
                ? p.Name
                : Uri.UnescapeDataString(segments[i]);
            return bad(["path", name]);
        }

        var query = context.Request.QueryString.Value;
        if (string.IsNullOrEmpty(query)) return null;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var rawKey = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? "" : pair[(equals + 1)..];
            var bad = Check(Unescape(rawKey, plusIsSpace: true)) ?? Check(Unescape(rawValue, plusIsSpace: true));
            if (bad is not null) return bad(["query", Lenient(rawKey)]);
        }
        return null;
    }

    private static string Lenient(string raw) => Encoding.UTF8.GetString(Unescape(raw, plusIsSpace: true)).Replace("\0", "");

    private static Func<IReadOnlyList<object>, FieldError>? Check(byte[] bytes) =>
        !Utf8.IsValid(bytes) ? Unicode : bytes.AsSpan().IndexOf((byte)0) >= 0 ? Nul : null;

    private static byte[] Unescape(string raw, bool plusIsSpace)
    {
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '+' && plusIsSpace) bytes.Add((byte)' ');
            else if (c < 0x80) bytes.Add((byte)c);
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return bytes.ToArray();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    /// <summary>
    /// The first string of a parsed body (a value or a property name, at any depth) that is not valid Unicode or holds
    /// NUL, located as pydantic would: <c>["body", field, ...]</c>. System.Text.Json accepts <c>"\ud800"</c> and raw
    /// invalid UTF-8 when it parses, and throws only when the string is read.
    /// </summary>
    public static FieldError? FindInBody(JsonElement root) => Walk(root, ["body"]);

    private static FieldError? Walk(JsonElement element, List<object> loc)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return StringError(() => element.GetString()!, loc);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return Unicode([.. loc]); }
                    if (name.Contains('\0')) return Nul([.. loc]);
                    loc.Add(name);
                    var error = Walk(property.Value, loc);
                    loc.RemoveAt(loc.Count - 1);
                    if (error is not null) return error;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    loc.Add(index++);
                    var error = Walk(item, loc);
                    loc.RemoveAt(loc.Count - 1);
                    if (error is not null) return error;
                }
                return null;
            default:
                return null;
        }
    }

    private static FieldError? StringError(Func<string> read, List<object> loc)
    {
        string value;
        try { value = read(); }
        catch (InvalidOperationException) { return Unicode([.. loc]); }
        return value.Contains('\0') ? Nul([.. loc]) : null;
    }
}
