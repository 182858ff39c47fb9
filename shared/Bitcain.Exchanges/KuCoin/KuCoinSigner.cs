using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.KuCoin;

/// <summary>
/// KuCoin (github.com/Kucoin/kucoin-api-docs "Signing a Message"): KC-API-SIGN = base64(HMAC-SHA256(secret,
/// timestamp + METHOD + endpoint(+?query) + body)); for v2 keys KC-API-PASSPHRASE = base64(HMAC-SHA256(secret, passphrase)).
/// </summary>
public static class KuCoinSigner
{
    public static string Sign(string secret, string timestamp, string method, string endpointWithQuery, string body) =>
        Hmac(secret, timestamp + method.ToUpperInvariant() + endpointWithQuery + body);

    public static string Passphrase(string secret, string passphrase) => Hmac(secret, passphrase);

    private static string Hmac(string secret, string text) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));
}
