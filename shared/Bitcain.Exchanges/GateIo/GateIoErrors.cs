using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.GateIo;

/// <summary>
/// Gate.io v4 errors are HTTP 4xx/5xx with <c>{"label":"INVALID_KEY","message":"..."}</c> (FACTS.md §9, Gate's v4
/// "Error" label table). A success is any 2xx.
/// </summary>
public static class GateIoErrors
{
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public static ExchangeErrorType Classify(string label) => label switch
    {
        "INVALID_KEY" or "INVALID_SIGNATURE" or "REQUEST_EXPIRED" or "MISSING_REQUIRED_HEADER" or "INVALID_CREDENTIALS" => ExchangeErrorType.AuthError,
        "FORBIDDEN" or "READ_ONLY" or "IP_FORBIDDEN" => ExchangeErrorType.PermissionDenied,
        "TOO_MANY_REQUESTS" => ExchangeErrorType.RateLimited,
        "SERVER_ERROR" or "SERVICE_UNAVAILABLE" => ExchangeErrorType.ExchangeUnavailable,
        "INVALID_PARAM_VALUE" or "INVALID_CURRENCY_PAIR" or "INVALID_CURRENCY" or "INVALID_ARGUMENT" or "NOT_FOUND" => ExchangeErrorType.InvalidRequest,
        _ => ExchangeErrorType.ExchangeError,
    };

    public static ExchangeException? Find(string exchange, int status, string body, Func<string, string?> header, TimeSpan? retryAfter, string path,
        DateTimeOffset now, Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, header, retryAfter, path, now, scrub), status);

    private static ExchangeException? FindCore(string exchange, int status, string body, Func<string, string?> header, TimeSpan? retryAfter, string path,
        DateTimeOffset now, Func<string, string>? scrub = null)
    {
        if (status is >= 200 and < 300) return null;
        var (label, message) = ReadLabel(body);
        if (scrub is not null && message is not null) message = scrub(message);
        var type = label is null ? ExchangeException.ByHttpStatus(status) : Classify(label);
        if (type == ExchangeErrorType.ExchangeError) type = ExchangeException.ByHttpStatus(status);
        var wait = type == ExchangeErrorType.RateLimited ? retryAfter ?? Reset(header, now) : (TimeSpan?)null;
        var detail = label is null ? $"HTTP {status}" : $"{label} {message}";
        return ExchangeException.On(exchange, type, path, detail, label, message, wait, status);
    }

    /// <summary>X-Gate-RateLimit-Reset-Timestamp: when the endpoint's window refills (ms).</summary>
    private static TimeSpan Reset(Func<string, string?> header, DateTimeOffset now)
    {
        if (!long.TryParse(header("X-Gate-RateLimit-Reset-Timestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return DefaultRetryAfter;
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(ms) - now;
        return wait > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)) : TimeSpan.Zero;
    }


    private static (string? Label, string? Message) ReadLabel(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (root.Str("label"), root.Str("message")) : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
