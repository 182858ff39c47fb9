using System.Text.Json;

namespace Bitcain.Exchanges.Coinbase;

/// <summary>
/// Coinbase Advanced Trade errors (FACTS.md §4). A token Coinbase refuses (bad signature, expired, wrong uri, unknown key) is
/// HTTP 401 with the plain-text body <c>Unauthorized</c> (as users of the API report it, e.g. ccxt#26300). Other errors are
/// JSON <c>{"error":"PERMISSION_DENIED","error_details":"...","message":"..."}</c>, or the grpc-gateway shape
/// <c>{"code":7,"message":"...","details":[]}</c> of Coinbase's OpenAPI. 403 / PERMISSION_DENIED is a key without the scope,
/// 429 the rate limit (sometimes with an HTML page for a body), 5xx the venue being down. Pure: status and body in, error out.
/// </summary>
public static class CoinbaseErrors
{
    /// <summary>Advanced Trade limits per second and sends no Retry-After: one second is the wait.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Coinbase's error names, with the grpc status codes the gateway shape carries in <c>code</c>.</summary>
    public static ExchangeErrorType Classify(string code) => code switch
    {
        "UNAUTHENTICATED" or "16" or "unauthorized" => ExchangeErrorType.AuthError,
        "PERMISSION_DENIED" or "7" => ExchangeErrorType.PermissionDenied,
        "RATE_LIMIT_EXCEEDED" or "RESOURCE_EXHAUSTED" or "8" => ExchangeErrorType.RateLimited,
        "UNAVAILABLE" or "14" or "INTERNAL" or "13" or "DEADLINE_EXCEEDED" or "4" => ExchangeErrorType.ExchangeUnavailable,
        "INVALID_ARGUMENT" or "3" or "NOT_FOUND" or "5" or "FAILED_PRECONDITION" or "9" or "OUT_OF_RANGE" or "11" => ExchangeErrorType.InvalidRequest,
        _ => ExchangeErrorType.ExchangeError,
    };

    /// <summary>The error in a response, or null when it is a success (an unreadable success is the parser's to report).</summary>
    public static ExchangeException? Find(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, retryAfter, path, scrub), status);

    private static ExchangeException? FindCore(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null)
    {
        if (status is >= 200 and < 300) return null;
        var (code, message) = ReadError(body);
        if (scrub is not null && message is not null) message = scrub(message);
        // The status is the surest word on auth, scope and rate: the body may be plain text or an HTML page.
        var type = status switch
        {
            401 => ExchangeErrorType.AuthError,
            403 => ExchangeErrorType.PermissionDenied,
            429 => ExchangeErrorType.RateLimited,
            _ when code is not null && Classify(code) is var byCode && byCode != ExchangeErrorType.ExchangeError => byCode,
            _ => ExchangeException.ByHttpStatus(status),
        };
        var detail = code is null ? $"HTTP {status}" : $"{code} {message}".TrimEnd();
        return ExchangeException.On(exchange, type, path, $"{detail}", code, message, retryAfter ?? DefaultRetryAfter, status);
    }


    private static (string? Code, string? Message) ReadError(string body)
    {
        var text = body.Trim();
        if (text.Equals("Unauthorized", StringComparison.OrdinalIgnoreCase)) return ("unauthorized", "Unauthorized");
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            var code = root.Str("error") ?? root.Str("code");
            var message = root.Str("message") ?? root.Str("error_details");
            return code is null ? (null, null) : (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
