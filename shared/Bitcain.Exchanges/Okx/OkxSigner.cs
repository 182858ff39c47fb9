using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Okx;

/// <summary>
/// OKX v5: OK-ACCESS-SIGN = base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath(+?query) + body)), timestamp
/// ISO-8601 UTC with milliseconds (2020-12-08T09:08:57.715Z). OKX publishes no vector with a secret and an expected
/// output; this follows the recipe in OKX's v5 docs "REST Authentication" as FACTS.md §7 records it.
/// </summary>
public static class OkxSigner
{
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Sign(string secret, string timestamp, string method, string requestPathWithQuery, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp + method.ToUpperInvariant() + requestPathWithQuery + body)));
}
