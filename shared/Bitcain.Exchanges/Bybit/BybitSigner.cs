using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Bybit;

/// <summary>
/// Bybit v5 HMAC keys: X-BAPI-SIGN = lowercase hex HMAC-SHA256(secret, timestamp + apiKey + recvWindow + payload),
/// where payload is the query string exactly as sent (GET) or the JSON body (POST)
/// (github.com/bybit-exchange/docs docs/v5/guide.mdx "Authentication").
/// </summary>
public static class BybitSigner
{
    public static string Payload(string timestamp, string apiKey, string recvWindow, string queryOrBody) =>
        timestamp + apiKey + recvWindow + queryOrBody;

    public static string Sign(string secret, string timestamp, string apiKey, string recvWindow, string queryOrBody) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(Payload(timestamp, apiKey, recvWindow, queryOrBody))));
}
