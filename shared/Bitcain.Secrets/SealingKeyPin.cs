using System.Security.Cryptography;

namespace Bitcain.Secrets;

/// <summary>
/// The fingerprint a sealer pins the credential service's public key to: SHA-256 of its SubjectPublicKeyInfo (DER),
/// the form <c>openssl pkey -pubin -outform der | sha256sum</c> prints. Whoever can answer on the query queue can
/// offer a key; only the one whose fingerprint configuration names is sealed for.
/// </summary>
public sealed class SealingKeyPin
{
    private readonly IReadOnlyList<byte[]> _fingerprints;

    private SealingKeyPin(IReadOnlyList<byte[]> fingerprints) => _fingerprints = fingerprints;

    /// <summary>Lower-case hex SHA-256 of the SPKI (base64) given.</summary>
    public static string FingerprintOf(string subjectPublicKeyInfoBase64) =>
        Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(subjectPublicKeyInfoBase64)));

    /// <summary>The fingerprint of the sealing key the service derives from this master key (base64 of 32 bytes).</summary>
    public static string FingerprintForMasterKey(string masterKeyBase64)
    {
        using var key = ServiceSealingKey.DeriveFrom(MasterKey.Parse(masterKeyBase64, "master key"));
        return FingerprintOf(key.PublicKey);
    }

    /// <summary>
    /// One or more fingerprints, comma separated (two during a master-key rotation: the sealing key changes with it),
    /// each hex (colons allowed) or base64 of the 32-byte digest. Null when nothing is configured.
    /// </summary>
    /// <exception cref="FormatException">an entry is neither form of a 32-byte digest; the message never repeats it.</exception>
    public static SealingKeyPin? Parse(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting)) return null;
        var pins = setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Digest).ToList();
        return pins.Count == 0 ? null : new SealingKeyPin(pins);
    }

    private static byte[] Digest(string entry)
    {
        var hex = entry.Replace(":", "");
        if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit)) return Convert.FromHexString(hex);
        try
        {
            var bytes = Convert.FromBase64String(entry);
            if (bytes.Length == 32) return bytes;
        }
        catch (FormatException) { }
        throw new FormatException("A sealing key fingerprint must be the SHA-256 of the key's SubjectPublicKeyInfo, in hex or base64.");
    }

    /// <summary>
    /// Whether <paramref name="subjectPublicKeyInfoBase64"/> is a P-256 key whose fingerprint is pinned. The curve is
    /// checked apart from the pin so that a pin set by mistake on an RSA or other-curve key still seals for nothing.
    /// </summary>
    public bool Accepts(string? subjectPublicKeyInfoBase64, out string reason)
    {
        byte[] spki;
        try { spki = Convert.FromBase64String(subjectPublicKeyInfoBase64 ?? ""); }
        catch (FormatException) { reason = "the offered key is not base64"; return false; }
        if (!IsP256(spki)) { reason = "the offered key is not an ECDH P-256 public key"; return false; }
        var digest = SHA256.HashData(spki);
        if (!_fingerprints.Any(pin => CryptographicOperations.FixedTimeEquals(pin, digest)))
        {
            reason = "the offered key's fingerprint is not the pinned one";
            return false;
        }
        reason = "";
        return true;
    }

    private static bool IsP256(byte[] spki)
    {
        try
        {
            using var key = ECDiffieHellman.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length) return false;
            var curve = key.ExportParameters(false).Curve;
            return curve.IsNamed && (curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value
                                     || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1");
        }
        catch (CryptographicException) { return false; }
    }

    public override string ToString() => $"SealingKeyPin ({_fingerprints.Count} fingerprint(s))";
}
