using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.Bitfinex;

/// <summary>
/// Bitfinex v2 answers errors as an array <c>["error", CODE, "message"]</c>, usually with HTTP 500 whatever the cause
/// (FACTS.md §8; bitfinex-api-node issues show <c>["error",10100,"apikey: invalid"]</c> over HTTP 500). Its rate limit is
/// HTTP 429 with <c>{"error":"ERR_RATE_LIMIT"}</c> (docs.bitfinex.com, the IP is blocked for 10-60 s) or code 11010.
/// Codes per Bitfinex's error glossary: 10100 failed authentication (bad key, bad digest; a key lacking the scope says
/// "permission" in its message), 10111-10114 auth payload, signature, HMAC and nonce, 10020 parameters (an unknown
/// symbol is "symbol: invalid"), 11000 not ready, 20060 maintenance. Pure: status and body in, error out.
/// </summary>
public static class BitfinexErrors
{
    public const string NonceTooSmall = "10114";
    public const string RateLimitCode = "ERR_RATE_LIMIT";

    /// <summary>Bitfinex blocks an IP that went over for up to 60 seconds and sends no Retry-After.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(60);

    public static ExchangeErrorType Classify(string code, string? message) => code switch
    {
        "10100" when message?.Contains("permission", StringComparison.OrdinalIgnoreCase) == true => ExchangeErrorType.PermissionDenied,
        "10100" or "10111" or "10112" or "10113" or "10114" => ExchangeErrorType.AuthError,
        "11010" or RateLimitCode => ExchangeErrorType.RateLimited,
        "11000" or "20060" => ExchangeErrorType.ExchangeUnavailable,
        "10020" => ExchangeErrorType.InvalidRequest,
        _ => ExchangeErrorType.ExchangeError,
    };

    /// <summary>The error in a response, or null when it is not one (an unreadable success is the parser's to report).</summary>
    public static ExchangeException? Find(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, retryAfter, path, scrub), status);

    private static ExchangeException? FindCore(string exchange, int status, string body, TimeSpan? retryAfter, string path, Func<string, string>? scrub = null)
    {
        var (code, message) = ReadError(body);
        if (code is null)
        {
            if (status is >= 200 and < 300) return null;
            var byStatus = ExchangeException.ByHttpStatus(status);
            return ExchangeException.On(exchange, byStatus, path, $"HTTP {status}", null, null, retryAfter ?? DefaultRetryAfter, status);
        }
        if (scrub is not null && message is not null) message = scrub(message);
        var type = Classify(code, message);
        // Every Bitfinex error arrives as HTTP 500, so the status says nothing more, except a 429.
        if (status == 429) type = ExchangeErrorType.RateLimited;
        return ExchangeException.On(exchange, type, path, $"{code} {message}", code, message, retryAfter ?? DefaultRetryAfter, status);
    }


    private static (string? Code, string? Message) ReadError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() >= 2
                && root[0].ValueKind == JsonValueKind.String && root[0].GetString() == "error")
            {
                var code = root[1].ValueKind switch
                {
                    JsonValueKind.Number => root[1].GetRawText(),
                    JsonValueKind.String => root[1].GetString(),
                    _ => null,
                };
                var message = root.GetArrayLength() > 2 && root[2].ValueKind == JsonValueKind.String ? root[2].GetString() : null;
                return (code ?? "unknown", message);
            }
            if (root.ValueKind == JsonValueKind.Object && root.Str("error") is { } error)
                return (error, root.Str("message") ?? error);
            return (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
