using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.Okx;

/// <summary>
/// OKX v5 answers <c>{"code":"0","msg":"","data":[...]}</c>; a non-zero code is an error, with HTTP 200, 401 (auth)
/// or 429 (rate limit). Codes per OKX's v5 error table (FACTS.md §7): 50111 invalid key, 50113 invalid signature,
/// 50112 invalid timestamp, 50102 timestamp expired, 50105 passphrase incorrect, 50101 key/environment mismatch,
/// 50011 rate limit. Permission (50120 "API key doesn't have permission", 50030 "no permission to use this API")
/// and unavailability (50001 service unavailable, 50013 system busy, 50026 system error) follow the same public
/// error table; they have no recorded payload.
/// </summary>
public static class OkxErrors
{
    public static ExchangeErrorType Classify(string code) => code switch
    {
        "50111" or "50113" or "50112" or "50102" or "50105" or "50101" or "50100" or "50119" or "50103" or "50104" or "50106" or "50107"
            => ExchangeErrorType.AuthError,
        "50120" or "50030" or "50110" => ExchangeErrorType.PermissionDenied,
        "50011" or "50061" => ExchangeErrorType.RateLimited,
        "50001" or "50013" or "50026" or "50004" => ExchangeErrorType.ExchangeUnavailable,
        "50014" or "51001" or "50000" or "51000" => ExchangeErrorType.InvalidRequest,
        _ => ExchangeErrorType.ExchangeError,
    };

    /// <summary>OKX limits per 2 s windows; with no Retry-After that is the wait.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(2);

    public static ExchangeException? Find(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, retryAfter, path, scrub), status);

    private static ExchangeException? FindCore(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null)
    {
        var (code, message) = ReadCode(body);
        if (code is null)
        {
            if (status is >= 200 and < 300)
                return ExchangeException.Malformed(exchange, path, "no result code in a success", status);
            var byStatus = ExchangeException.ByHttpStatus(status);
            return ExchangeException.On(exchange, byStatus, path, $"HTTP {status}", null, null, retryAfter ?? DefaultRetryAfter, status);
        }
        if (code == "0") return null;
        if (scrub is not null && message is not null) message = scrub(message);
        var type = Classify(code);
        if (type == ExchangeErrorType.ExchangeError && status is not (>= 200 and < 300)) type = ExchangeException.ByHttpStatus(status);
        return ExchangeException.On(exchange, type, path, $"{code} {message}", code, message, retryAfter ?? DefaultRetryAfter, status);
    }


    private static (string? Code, string? Message) ReadCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.Str("code") is not { } code) return (null, null);
            return (code, root.Str("msg"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
