using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Secrets;

/// <summary>
/// A 256-bit master key from configuration. Its id is a fingerprint of the key itself (not configured), so a
/// wrapped data key says which master key wrapped it and a rotation knows what to re-wrap.
/// </summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    private MasterKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(Derive("bitcain.master-key.id.v1", 8));
    }

    public string Id { get; }

    internal byte[] WrappingKey => Derive("bitcain.master-key.wrap.v1", Aead.KeySize);

    /// <summary>Key material for something else derived from the master key (HKDF-SHA256, one info label per use).</summary>
    internal byte[] Derive(string purpose, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, length, salt: [], info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>Parses base64 of exactly 32 bytes; the message never repeats the value.</summary>
    public static MasterKey Parse(string? base64, string settingName)
    {
        if (string.IsNullOrWhiteSpace(base64))
            throw new InvalidOperationException($"{settingName} is not set: the credential master key (base64 of 32 bytes) is required.");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new InvalidOperationException($"{settingName} is not valid base64."); }
        if (bytes.Length != 32)
            throw new InvalidOperationException($"{settingName} must be base64 of 32 bytes, not {bytes.Length}.");
        return new MasterKey(bytes);
    }

    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public override string ToString() => $"MasterKey {Id}";
}
