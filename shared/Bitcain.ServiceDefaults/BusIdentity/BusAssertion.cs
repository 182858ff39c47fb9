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

/// <summary>
/// A compact JWS (ES256 over P-256) carrying <see cref="BusClaims"/>; pure functions, no clock of its own. A query asked
/// over HTTP may instead carry the same claims under HS256 with the caller-service pair's key (<c>HttpQueryKeys</c>);
/// the bus accepts ES256 only.
/// </summary>
public static class BusAssertion
{
    public const string Es256 = "ES256";
    public const string Hs256 = "HS256";

    /// <summary>The AMQP header that carries the assertion.</summary>
    public const string Header = "bitcain-identity";

    /// <summary>Anything longer is not an assertion this code wrote; refused before any parsing.</summary>
    public const int MaxLength = 4096;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private static readonly string EncodedHeader = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"ES256","typ":"JWT"}"""));
    private static readonly string EncodedHmacHeader = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));

    public static string BodyHash(ReadOnlySpan<byte> body) => Base64Url(SHA256.HashData(body));

    public static string Sign(BusClaims claims, ECDsa key)
    {
        var signingInput = EncodedHeader + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>
    /// The claims of an HS256 assertion keyed with <paramref name="key"/>, a caller-service pair's key: for queries over
    /// HTTP only (the bus refuses anything but ES256).
    /// </summary>
    public static string SignHmac(BusClaims claims, ReadOnlySpan<byte> key)
    {
        var signingInput = EncodedHmacHeader + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        return signingInput + "." + Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Reads the claims of an ES256 assertion without trusting them: the caller picks the key by <c>iss</c>, then calls <see cref="HasValidSignature"/>.</summary>
    public static BusClaims? ReadUnverified(string token) => ReadUnverified(token, out var algorithm) is { } claims && algorithm == Es256 ? claims : null;

    /// <summary>Reads the claims of an ES256 or HS256 assertion without trusting them, and which of the two it claims to be.</summary>
    public static BusClaims? ReadUnverified(string token, out string? algorithm)
    {
        algorithm = null;
        if (token.Length > MaxLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            // The headers this code writes are known bytes; anything else (another signer's field order) is parsed.
            if (parts[0] == EncodedHeader) algorithm = Es256;
            else if (parts[0] == EncodedHmacHeader) algorithm = Hs256;
            else
            {
                using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
                if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String) return null;
                algorithm = alg.GetString() is Es256 or Hs256 ? alg.GetString() : null;
                if (algorithm is null) return null;
            }
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

    /// <summary>Whether an HS256 assertion's MAC is the one <paramref name="key"/> makes (compared in constant time).</summary>
    public static bool HasValidHmac(string token, ReadOnlySpan<byte> key)
    {
        var lastDot = token.LastIndexOf('.');
        if (lastDot <= 0) return false;
        try
        {
            var mac = FromBase64Url(token[(lastDot + 1)..]);
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(token[..lastDot]), expected);
            return CryptographicOperations.FixedTimeEquals(mac, expected);
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
