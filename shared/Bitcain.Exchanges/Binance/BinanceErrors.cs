using System.Net;
using System.Text.Json;

namespace Bitcain.Exchanges.Binance;

/// <summary>
/// Binance's answers to error types: status plus <c>{"code":-2015,"msg":"..."}</c> (binance-spot-api-docs errors.md,
/// rest-api.md "HTTP Return Codes"). Pure: no I/O, testable from a status and a body.
/// </summary>
public static class BinanceErrors
{
    public const int InvalidTimestamp = -1021;
    public const int RejectedKey = -2015;

    public static ExchangeException Map(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => MapCore(exchange, status, body, retryAfter, path, scrub), status);

    private static ExchangeException MapCore(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null)
    {
        var (code, msg) = Read(body);
        if (msg is not null && scrub is not null) msg = scrub(msg);
        var type = Classify(status, code);
        var what = code is null ? $"HTTP {status}" : $"{code} {msg}";
        return ExchangeException.On(exchange, type, path, what, code?.ToString(System.Globalization.CultureInfo.InvariantCulture), msg,
            retryAfter ?? TimeSpan.FromSeconds(1), status);
    }

    public static ExchangeErrorType Classify(int status, int? code) => code switch
    {
        -2014 or -2015 or -1022 or -2008 => ExchangeErrorType.AuthError,       // bad key format, rejected key, bad signature, invalid key id
        -1002 => ExchangeErrorType.PermissionDenied,                             // "You are not authorized to execute this request."
        -1003 or -1015 => ExchangeErrorType.RateLimited,                         // too many requests / orders
        -1000 or -1001 or -1006 or -1007 or -1008 => ExchangeErrorType.ExchangeUnavailable, // unknown, disconnected, timeout, overloaded
        -1021 => ExchangeErrorType.InvalidRequest,                               // timestamp outside recvWindow even after resync
        <= -1100 and >= -1199 => ExchangeErrorType.InvalidRequest,               // parameter errors (-1121 invalid symbol, ...)
        _ => status switch
        {
            429 or 418 => ExchangeErrorType.RateLimited,
            401 => ExchangeErrorType.AuthError,
            403 => ExchangeErrorType.PermissionDenied,
            >= 500 => ExchangeErrorType.ExchangeUnavailable,
            404 or 405 or 415 => ExchangeErrorType.InvalidRequest,
            _ => ExchangeErrorType.ExchangeError,
        },
    };

    private static (int? Code, string? Msg) Read(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var c)) return (null, null);
            return (c.ValueKind == JsonValueKind.Number ? c.GetInt32() : int.TryParse(c.GetString(), out var n) ? n : null, root.Str("msg"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }


    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
