using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.KuCoin;

/// <summary>
/// KuCoin answers <c>{"code":"200000","data":...}</c>; any other code is an error, with HTTP 200 or 4xx (FACTS.md §6,
/// kucoin-api-docs "Request"/"Rate Limit"): 400001-400005 missing headers, timestamp, key, passphrase, signature;
/// 400006 IP not whitelisted, 400007 access denied, 411100 user frozen; 429000 over the limit (reset in
/// <c>gw-ratelimit-reset</c>, ms); 1015 Cloudflare's IP limit; 400100 bad parameter; 500000 internal error.
/// </summary>
public static class KuCoinErrors
{
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    public static ExchangeErrorType Classify(string code) => code switch
    {
        "400001" or "400002" or "400003" or "400004" or "400005" => ExchangeErrorType.AuthError,
        "400006" or "400007" or "411100" or "400008" => ExchangeErrorType.PermissionDenied,
        "429000" or "1015" => ExchangeErrorType.RateLimited,
        "500000" or "503000" => ExchangeErrorType.ExchangeUnavailable,
        "400100" or "900001" or "404000" or "400200" => ExchangeErrorType.InvalidRequest,
        _ => ExchangeErrorType.ExchangeError,
    };

    public static ExchangeException? Find(string exchange, int status, string body, Func<string, string?> header, TimeSpan? retryAfter, string path,
        Func<string, string>? scrub = null) =>
        // An error body is an answer too: whatever cannot be read in it is malformed, not a crash.
        ResponseParsing.Read(exchange, path, () => FindCore(exchange, status, body, header, retryAfter, path, scrub), status);

    private static ExchangeException? FindCore(string exchange, int status, string body, Func<string, string?> header, TimeSpan? retryAfter, string path,
        Func<string, string>? scrub = null)
    {
        var (code, message) = ReadCode(body);
        if (code is null)
        {
            if (status is >= 200 and < 300)
                return ExchangeException.Malformed(exchange, path, "no result code in a success", status);
            var byStatus = ExchangeException.ByHttpStatus(status);
            return ExchangeException.On(exchange, byStatus, path, $"HTTP {status}", null, null, retryAfter ?? Reset(header), status);
        }
        if (code == "200000") return null;
        if (scrub is not null && message is not null) message = scrub(message);
        var type = Classify(code);
        if (type == ExchangeErrorType.ExchangeError && status is not (>= 200 and < 300)) type = ExchangeException.ByHttpStatus(status);
        return ExchangeException.On(exchange, type, path, $"{code} {message}", code, message, retryAfter ?? Reset(header), status);
    }

    /// <summary>gw-ratelimit-reset: milliseconds until the resource pool refills; rounded up to whole seconds.</summary>
    private static TimeSpan Reset(Func<string, string?> header) =>
        long.TryParse(header("gw-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0
            ? TimeSpan.FromSeconds(Math.Ceiling(ms / 1000.0))
            : DefaultRetryAfter;


    private static (string? Code, string? Message) ReadCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.Str("code") is { } code ? (code, root.Str("msg")) : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
