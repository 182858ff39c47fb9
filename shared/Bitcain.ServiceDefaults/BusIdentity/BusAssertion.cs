using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bitcain.ServiceDefaults.BusIdentity;

/// <summary>What a bus assertion says: who signed it, for which user, and the one message it belongs to.</summary>
/// <param name="BodyHash">base64url SHA-256 of the body bytes exactly as they travel.</param>
/// <param name="ReplyUri">The message's <c>reply-uri</c> header: a copied query cannot send its answer elsewhere.</param>
public sealed record BusClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("mid")] string MessageId,
    [property: JsonPropertyName("typ")] string MessageType,
    [property: JsonPropertyName("bh")] string BodyHash,
    [property: JsonPropertyName("rpl")] string? ReplyUri,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long Expires);

/// <summary>A compact JWS (ES256 over P-256) carrying <see cref="BusClaims"/>; pure functions, no clock of its own.</summary>
public static class BusAssertion
{
    /// <summary>The AMQP header that carries the assertion.</summary>
    public const string Header = "bitcain-identity";

    /// <summary>Anything longer is not an assertion this code wrote; refused before any parsing.</summary>
    public const int MaxLength = 4096;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private static readonly string EncodedHeader = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"ES256","typ":"JWT"}"""));

    public static string BodyHash(ReadOnlySpan<byte> body) => Base64Url(SHA256.HashData(body));

    public static string Sign(BusClaims claims, ECDsa key)
    {
        var signingInput = EncodedHeader + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Reads the claims without trusting them: the caller picks the key by <c>iss</c>, then calls <see cref="HasValidSignature"/>.</summary>
    public static BusClaims? ReadUnverified(string token)
    {
        if (token.Length > MaxLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "ES256") return null;
            var claims = JsonSerializer.Deserialize<BusClaims>(FromBase64Url(parts[1]), Json);
            return claims is { Issuer.Length: > 0, MessageId.Length: > 0, MessageType.Length: > 0, BodyHash.Length: > 0 } ? claims : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public static bool HasValidSignature(string token, ECDsa publicKey)
    {
        var lastDot = token.LastIndexOf('.');
        if (lastDot <= 0) return false;
        try
        {
            var signature = FromBase64Url(token[(lastDot + 1)..]);
            return publicKey.VerifyData(Encoding.ASCII.GetBytes(token[..lastDot]), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
