using System.Security.Cryptography;
using System.Text;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>Binance's HMAC recipe (binance-spot-api-docs rest-api.md "SIGNED Endpoint security"): the signed payload
/// is the query string concatenated with the request body without a separator, minus the signature parameter
/// itself; the signature is hex HMAC-SHA256 with the secret as key, compared case-insensitively.</summary>
public static class BinanceSignature
{
    public static string Compute(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    public static bool Verify(string secret, string payload, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Compute(secret, payload));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The payload a client signed: raw query + raw body, each without its <c>signature=</c> pair.</summary>
    public static string PayloadOf(string rawQuery, string rawBody) => Strip(rawQuery) + Strip(rawBody);

    /// <summary>The raw (still percent-encoded) value of the signature parameter, from the query or else the body.</summary>
    public static string? SignatureOf(string rawQuery, string rawBody) => Find(rawQuery) ?? Find(rawBody);

    private static string? Find(string raw) =>
        raw.Split('&').Where(p => p.StartsWith("signature=", StringComparison.Ordinal)).Select(p => p["signature=".Length..]).FirstOrDefault();

    private static string Strip(string raw) =>
        string.Join('&', raw.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("signature=", StringComparison.Ordinal)));
}
