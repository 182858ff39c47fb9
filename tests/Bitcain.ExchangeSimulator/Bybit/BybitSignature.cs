using System.Security.Cryptography;
using System.Text;

namespace Bitcain.ExchangeSimulator.Bybit;

/// <summary>Bybit v5 HMAC (docs/v5/guide.mdx): hex(HMAC-SHA256(secret, timestamp + apiKey + recvWindow + queryString|body)).</summary>
public static class BybitSignature
{
    public static string OriginString(string timestamp, string apiKey, string recvWindow, string payload) =>
        timestamp + apiKey + recvWindow + payload;

    public static string Compute(string secret, string originString) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(originString)));

    public static bool Verify(string secret, string originString, string sign)
    {
        var expected = Encoding.ASCII.GetBytes(Compute(secret, originString));
        // Bybit documents lowercase hex; an uppercase one is a different string and is refused.
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sign));
    }
}
