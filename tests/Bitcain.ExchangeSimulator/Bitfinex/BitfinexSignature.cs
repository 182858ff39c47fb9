using System.Security.Cryptography;
using System.Text;

namespace Bitcain.ExchangeSimulator.Bitfinex;

/// <summary>Bitfinex v2 authenticated REST: bfx-signature = hex(HMAC-SHA384(secret, "/api/" + apiPath + nonce + body)), apiPath
/// without its leading slash (<c>v2/auth/r/wallets</c>), body the raw JSON sent (FACTS.md §8; docs.bitfinex.com REST auth).</summary>
public static class BitfinexSignature
{
    public static string Compute(string secret, string signedText) =>
        Convert.ToHexStringLower(HMACSHA384.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signedText)));

    public static string SignedText(string path, string nonce, string body) => "/api/" + path.TrimStart('/') + nonce + body;

    public static bool Verify(string secret, string signedText, string signature)
    {
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Compute(secret, signedText)), given);
    }
}
