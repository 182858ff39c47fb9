using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Bitcain.ServiceDefaults.BusIdentity;

namespace Bitcain.ServiceDefaults.HttpQueries;

/// <summary>
/// The HMAC key of one caller-service pair for queries asked over HTTP: HKDF-SHA256 over the ECDH agreement of the two
/// bus identity keys, bound to who signs and who checks. Only those two processes can compute it (each holds one of the
/// private keys), so an assertion keyed with it is as much the caller's as an ES256 signature is, at the cost of an
/// HMAC instead of a P-256 signature and its verification (about 0.1 ms of CPU per query, measured in the profile).
/// Derived once per peer and kept: the keys and trust lists are read once at start-up.
/// </summary>
public sealed class HttpQueryKeys(BusSigningIdentity self, IReadOnlyDictionary<string, TrustedSigner> trusted)
{
    private readonly ConcurrentDictionary<(string Issuer, string Audience), byte[]?> _keys = new();

    /// <summary>The key to sign a query to <paramref name="audience"/> with; null when that service is not trusted (sign ES256).</summary>
    public byte[]? ToAsk(string audience) =>
        _keys.GetOrAdd((self.Name, audience), pair => trusted.TryGetValue(pair.Audience, out var peer) ? Derive(self.Key, peer.PublicKey, pair.Issuer, pair.Audience) : null);

    /// <summary>The key a query signed by <paramref name="issuer"/> for this service is checked with; null for an untrusted issuer.</summary>
    public byte[]? ToCheck(string issuer) =>
        _keys.GetOrAdd((issuer, self.Name), pair => trusted.TryGetValue(pair.Issuer, out var peer) ? Derive(self.Key, peer.PublicKey, pair.Issuer, pair.Audience) : null);

    /// <summary>
    /// The pair's key from one side's private key and the other's public key; the same bytes on both sides. The names in
    /// the HKDF info make the key of "gateway asks credentials" useless for any other direction or pair.
    /// </summary>
    public static byte[] Derive(ECDsa own, ECDsa peer, string issuer, string audience)
    {
        using var mine = ECDiffieHellman.Create(own.ExportParameters(includePrivateParameters: true));
        using var theirs = ECDiffieHellman.Create(peer.ExportParameters(includePrivateParameters: false));
        var shared = mine.DeriveRawSecretAgreement(theirs.PublicKey);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, salt: [], info: Encoding.UTF8.GetBytes($"bitcain http query key v1 {issuer} -> {audience}"));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }
}
