using System.Security.Cryptography;
using System.Text;

namespace Bitcain.ExchangeSimulator.Okx;

/// <summary>OKX v5 REST authentication: base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)),
/// requestPath including the query string (FACTS.md §7; OKX docs "REST Authentication").</summary>
public static class OkxSignature
{
    public static string Compute(string secret, string prehash) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(prehash)));

    public static bool Verify(string secret, string prehash, string sign)
    {
        byte[] given;
        try
        {
            given = Convert.FromBase64String(sign);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Compute(secret, prehash)), given);
    }
}
