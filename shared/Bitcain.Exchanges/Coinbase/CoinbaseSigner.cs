using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Bitcain.Exchanges.Coinbase;

/// <summary>
/// The private half of a Coinbase CDP API key: an EC P-256 key in PEM (SEC1 <c>BEGIN EC PRIVATE KEY</c>, as the CDP portal
/// hands it out, or PKCS#8 <c>BEGIN PRIVATE KEY</c>) signs ES256; an Ed25519 key (base64 of the 64 bytes seed + public key
/// that the portal shows, or of the 32-byte seed alone, or a PKCS#8 PEM) signs EdDSA (FACTS.md §4, CDP JWT auth docs).
/// It is parsed per request and dropped afterwards, so no parsed key outlives the call that used it.
/// </summary>
public sealed class CoinbaseSigningKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa? _ec;
    private readonly Ed25519PrivateKeyParameters? _ed;

    private CoinbaseSigningKey(ECDsa? ec, Ed25519PrivateKeyParameters? ed) => (_ec, _ed) = (ec, ed);

    /// <summary>The JWT <c>alg</c>: ES256 for an EC key, EdDSA for an Ed25519 one.</summary>
    public string Algorithm => _ec is null ? "EdDSA" : "ES256";

    /// <summary>What a secret that is none of the accepted forms is told; it never repeats the secret.</summary>
    public const string NotAKey = "the API secret is neither an EC P-256 private key (PEM) nor an Ed25519 private key (base64)";

    /// <summary>Reads the secret as the user pasted it: literal <c>\n</c> escapes (copied out of the key's JSON file) count as
    /// line breaks. Null when it is not a usable private key.</summary>
    public static CoinbaseSigningKey? TryParse(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return null;
        var text = secret.Trim().Trim('"').Replace("\\n", "\n", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.Contains("-----BEGIN", StringComparison.Ordinal) ? FromPem(text) : FromBase64(text);
    }

    private static CoinbaseSigningKey? FromPem(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            var parameters = ec.ExportParameters(true);
            CryptographicOperations.ZeroMemory(parameters.D);
            if (parameters.Curve.IsNamed && (parameters.Curve.Oid.Value == P256Oid || parameters.Curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256"))
                return new CoinbaseSigningKey(ec, null);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // Not an EC key .NET reads (or only a public one): maybe a PKCS#8 Ed25519 key, below.
        }
        ec.Dispose();
        return Pkcs8Ed25519(pem);
    }

    private static CoinbaseSigningKey? Pkcs8Ed25519(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not "PRIVATE KEY") return null;
        try
        {
            var der = Convert.FromBase64String(pem[fields.Base64Data]);
            return PrivateKeyFactory.CreateKey(der) is Ed25519PrivateKeyParameters ed ? new CoinbaseSigningKey(null, ed) : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IOException or InvalidCastException
                                      or SecurityUtilityException)
        {
            return null;
        }
    }

    private static CoinbaseSigningKey? FromBase64(string text)
    {
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var length)) return null;
        try
        {
            switch (length)
            {
                case 32:
                    return new CoinbaseSigningKey(null, new Ed25519PrivateKeyParameters(buffer, 0));
                case 64:
                    // seed || public key: a public half that does not belong to the seed means a damaged paste.
                    var key = new Ed25519PrivateKeyParameters(buffer, 0);
                    return CryptographicOperations.FixedTimeEquals(key.GeneratePublicKey().GetEncoded(), buffer.AsSpan(32, 32))
                        ? new CoinbaseSigningKey(null, key)
                        : null;
                default:
                    return null;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>ES256 signatures are IEEE P1363 (r || s, 64 bytes) as JWS requires (RFC 7518 §3.4), not DER; EdDSA ones are 64 bytes.</summary>
    public byte[] Sign(byte[] data)
    {
        if (_ec is not null) return _ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var signer = new Ed25519Signer();
        signer.Init(true, _ed);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }

    public void Dispose() => _ec?.Dispose();
}

/// <summary>
/// Coinbase Advanced Trade authentication: a fresh JWT per request in <c>Authorization: Bearer</c>, header
/// <c>{alg, kid: key name, nonce: random hex, typ: "JWT"}</c>, claims <c>{sub: key name, iss: "cdp", nbf: now, exp: now + 120,
/// uri: "GET api.coinbase.com/api/v3/brokerage/accounts"}</c> (FACTS.md §4; the CDP JWT docs). Coinbase publishes no key and
/// token pair and ECDSA signatures are randomized, so the tests verify tokens with the public key instead.
/// </summary>
public static class CoinbaseSigner
{
    /// <summary>CDP tokens live two minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The <c>uri</c> claim: method, a space, then the authority and path of the URL actually requested, without the query.
    /// On production that is <c>api.coinbase.com/api/v3/brokerage/...</c> (the default port is not written). On any other
    /// base URL (the simulator at <c>http://127.0.0.1:5099/coinbase</c>, a test proxy) it is <c>host:port</c> plus the base
    /// URL's path prefix plus Coinbase's path (<c>127.0.0.1:5099/coinbase/api/v3/brokerage/accounts</c>): the token names the
    /// resource the receiving server is asked for, so a token could not be replayed against another host or path, and the
    /// simulator checks exactly this.
    /// </summary>
    public static string UriClaim(string method, Uri requestUrl) => $"{method.ToUpperInvariant()} {requestUrl.Authority}{requestUrl.AbsolutePath}";

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Token(CoinbaseSigningKey key, string keyName, string uriClaim, DateTimeOffset now, string nonce)
    {
        var header = Json(w =>
        {
            w.WriteString("alg", key.Algorithm);
            w.WriteString("kid", keyName);
            w.WriteString("nonce", nonce);
            w.WriteString("typ", "JWT");
        });
        var seconds = now.ToUnixTimeSeconds();
        var claims = Json(w =>
        {
            w.WriteString("sub", keyName);
            w.WriteString("iss", "cdp");
            w.WriteNumber("nbf", seconds);
            w.WriteNumber("exp", seconds + (long)Lifetime.TotalSeconds);
            w.WriteString("uri", uriClaim);
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
