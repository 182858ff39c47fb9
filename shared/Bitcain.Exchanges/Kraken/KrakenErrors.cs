using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.Kraken;

/// <summary>
/// Kraken reports errors as <c>"E&lt;Category&gt;:&lt;Message&gt;"</c> strings in <c>error[]</c>, usually with HTTP 200
/// (docs.kraken.com/exchange/guides/general/errors). Pure: status and body in, error out.
/// </summary>
public static class KrakenErrors
{
    public const string InvalidNonce = "EAPI:Invalid nonce";

    private static readonly (string Prefix, ExchangeErrorType Type)[] Known =
    [
        ("EAPI:Invalid key", ExchangeErrorType.AuthError),
        ("EAPI:Invalid signature", ExchangeErrorType.AuthError),
        ("EAPI:Invalid nonce", ExchangeErrorType.AuthError),
        ("EAPI:Bad request", ExchangeErrorType.InvalidRequest),
        ("EGeneral:Permission denied", ExchangeErrorType.PermissionDenied),
        ("EAPI:Feature disabled", ExchangeErrorType.PermissionDenied),
        ("EAccount:Invalid permissions", ExchangeErrorType.PermissionDenied),
        ("EAPI:Rate limit exceeded", ExchangeErrorType.RateLimited),
        ("EOrder:Rate limit exceeded", ExchangeErrorType.RateLimited),
        ("EGeneral:Too many requests", ExchangeErrorType.RateLimited),
        ("EGeneral:Temporary lockout", ExchangeErrorType.RateLimited),
        ("EService:Throttled", ExchangeErrorType.RateLimited),
        ("EService:Unavailable", ExchangeErrorType.ExchangeUnavailable),
        ("EService:Busy", ExchangeErrorType.ExchangeUnavailable),
        ("EService:Deadline elapsed", ExchangeErrorType.ExchangeUnavailable),
        ("EService:Market in cancel_only mode", ExchangeErrorType.ExchangeUnavailable),
        ("EService:Market in post_only mode", ExchangeErrorType.ExchangeUnavailable),
        ("EGeneral:Internal error", ExchangeErrorType.ExchangeUnavailable),
        ("EGeneral:Invalid arguments", ExchangeErrorType.InvalidRequest),
        ("EGeneral:Unknown method", ExchangeErrorType.InvalidRequest),
        ("EQuery:Unknown asset pair", ExchangeErrorType.InvalidRequest),
        ("EQuery:Invalid asset pair", ExchangeErrorType.InvalidRequest),
        ("EQuery:Unknown asset", ExchangeErrorType.InvalidRequest),
    ];

    public static ExchangeErrorType Classify(string error) =>
        Known.FirstOrDefault(k => error.StartsWith(k.Prefix, StringComparison.OrdinalIgnoreCase)) is { Prefix: not null } hit
            ? hit.Type
            : ExchangeErrorType.ExchangeError;

    /// <summary>The error in a response, or null when the response is a success.</summary>
    public static ExchangeException? Find(
        string exchange, int status, string body, TimeSpan? retryAfter, string path, DateTimeOffset now,
        TimeSpan defaultRetryAfter, Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, retryAfter, path, now, defaultRetryAfter, scrub), status);

    private static ExchangeException? FindCore(
        string exchange, int status, string body, TimeSpan? retryAfter, string path, DateTimeOffset now,
        TimeSpan defaultRetryAfter, Func<string, string>? scrub = null)
    {
        var errors = ReadErrors(body);
        var first = errors?.FirstOrDefault();
        if (first is null)
        {
            if (status is >= 200 and < 300) return null;
            var byStatus = ExchangeException.ByHttpStatus(status);
            return ExchangeException.On(exchange, byStatus, path, $"HTTP {status}", null, null, retryAfter ?? defaultRetryAfter, status);
        }

        if (scrub is not null) first = scrub(first);
        var type = Classify(first);
        if (type == ExchangeErrorType.ExchangeError && status >= 500) type = ExchangeErrorType.ExchangeUnavailable;
        TimeSpan? wait = null;
        if (type == ExchangeErrorType.RateLimited)
            wait = retryAfter ?? ThrottledUntil(first, now) ?? defaultRetryAfter;
        var code = first.Split(':', 3) is { Length: >= 2 } parts ? $"{parts[0]}:{parts[1]}" : first;
        return ExchangeException.On(exchange, type, path, first, code, first, wait, status);
    }

    /// <summary><c>EService:Throttled: 1700000000</c> names the second the throttle lifts.</summary>
    private static TimeSpan? ThrottledUntil(string error, DateTimeOffset now)
    {
        var tail = error.Split(':').Last().Trim();
        if (!error.StartsWith("EService:Throttled", StringComparison.OrdinalIgnoreCase) ||
            !long.TryParse(tail, NumberStyles.Integer, CultureInfo.InvariantCulture, out var until)) return null;
        var wait = DateTimeOffset.FromUnixTimeSeconds(until) - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static List<string>? ReadErrors(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("error", out var e)) return null;
            return e.ValueKind switch
            {
                JsonValueKind.Array => e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList(),
                JsonValueKind.String => [e.GetString()!],
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
