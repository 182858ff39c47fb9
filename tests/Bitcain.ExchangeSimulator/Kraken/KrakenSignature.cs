using System.Security.Cryptography;
using System.Text;

namespace Bitcain.ExchangeSimulator.Kraken;

/// <summary>Kraken's spot REST signature (docs.kraken.com spot-rest-auth):
/// API-Sign = base64(HMAC-SHA512(key = base64decode(secret), msg = uriPath || SHA256(nonce + postData))).</summary>
public static class KrakenSignature
{
    public static string Compute(string secret, string uriPath, string nonce, string postData)
    {
        var inner = SHA256.HashData(Encoding.UTF8.GetBytes(nonce + postData));
        var message = Encoding.UTF8.GetBytes(uriPath).Concat(inner).ToArray();
        return Convert.ToBase64String(HMACSHA512.HashData(Convert.FromBase64String(secret), message));
    }

    public static bool Verify(string secret, string uriPath, string nonce, string postData, string apiSign)
    {
        byte[] given;
        try
        {
            given = Convert.FromBase64String(apiSign);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = Convert.FromBase64String(Compute(secret, uriPath, nonce, postData));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
