using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Binance;

/// <summary>
/// Binance and Binance.US HMAC keys: hex(HMAC-SHA256(secret, queryString + body)), the two concatenated with no
/// separator (binance-spot-api-docs rest-api.md "SIGNED Endpoint security").
/// </summary>
public static class BinanceSigner
{
    public static string Sign(string secret, string queryString, string body = "") =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(queryString + body)));

    /// <summary>Percent-encodes parameters the way Binance verifies them (UTF-8, RFC 3986), in the given order.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
