using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Kraken;

/// <summary>
/// Kraken spot REST: API-Sign = base64(HMAC-SHA512(base64decode(secret), uriPath + SHA256(nonce + postData)))
/// (docs.kraken.com/api/docs/guides/spot-rest-auth). <c>uriPath</c> is Kraken's own path, <c>/0/private/...</c>,
/// never a prefix of our base URL.
/// </summary>
public static class KrakenSigner
{
    public static string Sign(string base64Secret, string uriPath, string nonce, string postData)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(nonce + postData));
        var path = Encoding.UTF8.GetBytes(uriPath);
        var message = new byte[path.Length + hash.Length];
        path.CopyTo(message, 0);
        hash.CopyTo(message, path.Length);
        return Convert.ToBase64String(HMACSHA512.HashData(Convert.FromBase64String(base64Secret), message));
    }
}
