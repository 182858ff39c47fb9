using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Bitfinex;

/// <summary>
/// Bitfinex v2 authenticated REST: bfx-signature = hex(HMAC-SHA384(secret, "/api/" + apiPath + nonce + body)), where
/// <c>apiPath</c> is Bitfinex's own path without its leading slash (<c>v2/auth/r/wallets</c>) and <c>body</c> the JSON
/// text exactly as sent (FACTS.md §8; docs.bitfinex.com "REST Auth" code samples). Bitfinex publishes no vector with an
/// expected output, so the tests compute the recipe independently.
/// </summary>
public static class BitfinexSigner
{
    public static string Sign(string secret, string apiPath, string nonce, string body) =>
        Convert.ToHexStringLower(HMACSHA384.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes("/api/" + apiPath.TrimStart('/') + nonce + body)));
}
