using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.Bybit;

/// <summary>
/// Bybit v5 answers <c>{"retCode":0,"retMsg":"OK","result":{...},"time":...}</c>; a non-zero retCode is an error,
/// usually with HTTP 200 (docs/v5/error.mdx). HTTP 403 is the IP limit (600 requests per 5 s, "wait at least 10
/// minutes") or a blocked region, 429 is system protection (docs/v5/rate-limit). Pure: status and body in, error out.
/// </summary>
public static class BybitErrors
{
    /// <summary>docs/v5/rate-limit: after an HTTP 403 IP ban "you need to wait at least 10 minutes".</summary>
    public static readonly TimeSpan IpBanWait = TimeSpan.FromMinutes(10);

    public static ExchangeErrorType Classify(long retCode) => retCode switch
    {
        10003 or 10004 or 10002 or 33004 => ExchangeErrorType.AuthError, // invalid key, sign error, time window, key expired
        10005 or 10010 or 10009 => ExchangeErrorType.PermissionDenied, // permission denied, unmatched IP, IP banned
        10006 or 10018 => ExchangeErrorType.RateLimited, // too many visits, exceeded IP rate limit
        10000 or 10016 => ExchangeErrorType.ExchangeUnavailable, // server timeout, server error
        10001 or 10017 or 170121 => ExchangeErrorType.InvalidRequest, // params, route not found, invalid symbol
        _ => ExchangeErrorType.ExchangeError,
    };

    /// <summary>The error in a response, or null when the response is a success.</summary>
    public static ExchangeException? Find(
        string exchange, int status, string body, Func<string, string?> header, TimeSpan? retryAfter, string path, DateTimeOffset now,
        Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, header, retryAfter, path, now, scrub), status);

    private static ExchangeException? FindCore(
        string exchange, int status, string body, Func<string, string?> header, TimeSpan? retryAfter, string path, DateTimeOffset now,
        Func<string, string>? scrub = null)
    {
        var (code, message) = ReadCode(body);
        if (code is null)
        {
            if (status is >= 200 and < 300) return ExchangeException.Malformed(exchange, path, "no result code in a success", status);
            var byStatus = ByStatus(status);
            return ExchangeException.On(exchange, byStatus, path, $"HTTP {status}", null, null, retryAfter ?? WaitOf(status, header, now), status);
        }
        if (code == 0) return null;

        if (scrub is not null && message is not null) message = scrub(message);
        var type = Classify(code.Value);
        if (type == ExchangeErrorType.ExchangeError && status is not (>= 200 and < 300)) type = ByStatus(status);
        var wait = type == ExchangeErrorType.RateLimited ? retryAfter ?? WaitOf(status, header, now) : (TimeSpan?)null;
        var text = code.Value.ToString(CultureInfo.InvariantCulture);
        return ExchangeException.On(exchange, type, path, $"{text} {message}", text, message, wait, status);
    }

    /// <summary>Bybit answers an IP ban for too many requests with 403, not 429 (docs/v5/rate-limit).</summary>
    private static ExchangeErrorType ByStatus(int status) =>
        status == 403 ? ExchangeErrorType.RateLimited : ExchangeException.ByHttpStatus(status);

    /// <summary>X-Bapi-Limit-Reset-Timestamp (ms) says when the per-UID limit refills; a 403 means the IP ban.</summary>
    private static TimeSpan WaitOf(int status, Func<string, string?> header, DateTimeOffset now)
    {
        if (status == 403) return IpBanWait;
        if (long.TryParse(header("X-Bapi-Limit-Reset-Timestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var resetMs))
        {
            // Rounded up to whole seconds: the reset instant is the exchange's clock, ours may lag a little.
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(resetMs) - now;
            return wait > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)) : TimeSpan.Zero;
        }
        return TimeSpan.FromSeconds(1);
    }

    private static (long? Code, string? Message) ReadCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("retCode", out var c)) return (null, null);
            return (c.Long(), root.Str("retMsg"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return (null, null);
        }
    }
}
