using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Signers;

namespace Bitcain.ExchangeSimulator.Coinbase;

/// <summary>
/// Checks a Coinbase CDP token the way Advanced Trade does (FACTS.md §4; CDP JWT docs): <c>Authorization: Bearer
/// header.claims.signature</c>; header <c>alg</c> ES256 (P1363 r||s over SHA-256, EC P-256) or EdDSA (Ed25519) matching the
/// key's type, <c>kid</c> the key name, a hex <c>nonce</c>, <c>typ</c> JWT; claims <c>sub</c> = <c>kid</c>, <c>iss</c> "cdp" (the
/// CDP SDKs) or "coinbase-cloud" (what the official coinbase-advanced-py and ccxt still sign ES256 tokens with, FACTS.md §4),
/// <c>aud</c> absent or naming "retail_rest_api_proxy" or "cdp_service", <c>nbf</c> not in the future, <c>exp</c> not
/// past and at most two minutes after <c>nbf</c>, and the request in <c>uri</c> (a string) or among <c>uris</c> (a list, as the
/// CDP SDKs write it): method, space, the request's host (with its port) and full path, without the query. On production that
/// is <c>api.coinbase.com/api/v3/...</c>; here it is <c>127.0.0.1:{port}/coinbase/api/v3/...</c>, the URL the client really asked for.
/// </summary>
public static class CoinbaseJwt
{
    /// <summary>Clock difference forgiven on <c>nbf</c> and <c>exp</c>.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(120);

    /// <summary>The key name a token claims, read without checking anything (for faults aimed at one account).</summary>
    public static string? KeyNameOf(string? authorization)
    {
        if (Split(authorization) is not var (header, _, _, _)) return null;
        return header.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
    }

    /// <summary>The expected <c>uri</c> claim for a request as the simulator received it.</summary>
    public static string ExpectedUri(HttpRequest request) => $"{request.Method.ToUpperInvariant()} {request.Host.Value}{request.PathBase}{request.Path}";

    /// <summary>Null when the token is good for <paramref name="uri"/> at <paramref name="now"/>, else why it is not (for the simulator's
    /// own diagnostics: Coinbase itself only answers <c>Unauthorized</c>).</summary>
    internal static string? Problem(string? authorization, Func<string, CoinbaseAccount?> accountOf, string uri, DateTimeOffset now, out CoinbaseAccount? account)
    {
        account = null;
        if (Split(authorization) is not var (header, claims, signingInput, signature)) return "no bearer token";
        string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? Num(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

        var kid = Str(header, "kid");
        if (kid is null || accountOf(kid) is not { } found) return "unknown key";
        if (Str(header, "typ") != "JWT") return "typ";
        if (Str(header, "nonce") is not { Length: > 0 } nonce || !nonce.All(char.IsAsciiHexDigit)) return "nonce";
        if (Str(claims, "sub") != kid) return "sub";
        if (Str(claims, "iss") is not ("cdp" or "coinbase-cloud")) return "iss";
        if (!AudienceAccepted(claims)) return "aud";
        if (Num(claims, "nbf") is not { } nbf || Num(claims, "exp") is not { } exp) return "nbf/exp";
        var seconds = now.ToUnixTimeSeconds();
        if (nbf > seconds + (long)Leeway.TotalSeconds) return "not yet valid";
        if (exp <= seconds - (long)Leeway.TotalSeconds) return "expired";
        if (exp <= nbf || exp - nbf > (long)MaxLifetime.TotalSeconds) return "lifetime";
        if (!UrisOf(claims).Contains(uri, StringComparer.Ordinal)) return "uri";
        var valid = Str(header, "alg") switch
        {
            "ES256" when found.EcPublicKey is { } ec => signature.Length == 64
                && ec.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "EdDSA" when found.Ed25519PublicKey is { } ed => VerifyEd25519(ed, signingInput, signature),
            _ => false,
        };
        if (!valid) return "signature";
        account = found;
        return null;
    }

    private static readonly string[] Audiences = ["retail_rest_api_proxy", "cdp_service"];

    /// <summary>No <c>aud</c> is accepted (the CDP SDKs' REST tokens carry none); one that is there must name the REST API.</summary>
    private static bool AudienceAccepted(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud)) return true;
        return aud.ValueKind switch
        {
            JsonValueKind.String => Audiences.Contains(aud.GetString()),
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && Audiences.Contains(a.GetString())),
            _ => false,
        };
    }

    private static IEnumerable<string> UrisOf(JsonElement claims)
    {
        if (claims.TryGetProperty("uri", out var uri) && uri.ValueKind == JsonValueKind.String) yield return uri.GetString()!;
        if (claims.TryGetProperty("uris", out var uris) && uris.ValueKind == JsonValueKind.Array)
            foreach (var u in uris.EnumerateArray())
                if (u.ValueKind == JsonValueKind.String) yield return u.GetString()!;
    }

    private static bool VerifyEd25519(Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters key, byte[] data, byte[] signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        verifier.BlockUpdate(data, 0, data.Length);
        return verifier.VerifySignature(signature);
    }

    private static (JsonElement Header, JsonElement Claims, byte[] SigningInput, byte[] Signature)? Split(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
        var parts = authorization["Bearer ".Length..].Trim().Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (header.RootElement.ValueKind != JsonValueKind.Object || claims.RootElement.ValueKind != JsonValueKind.Object) return null;
            return (header.RootElement.Clone(), claims.RootElement.Clone(), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
                Base64Url.DecodeFromChars(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
