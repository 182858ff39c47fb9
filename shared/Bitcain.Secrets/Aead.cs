using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Secrets;

/// <summary>AES-256-GCM with a random nonce; the output is nonce | tag | ciphertext.</summary>
internal static class Aead
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext, string associatedData)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize),
            Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    public static byte[] Decrypt(byte[] key, ReadOnlySpan<byte> sealedBytes, string associatedData)
    {
        if (sealedBytes.Length < NonceSize + TagSize) throw new SecretsUnavailableException("The ciphertext is truncated.");
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var gcm = new AesGcm(key, TagSize);
            gcm.Decrypt(sealedBytes[..NonceSize], sealedBytes[(NonceSize + TagSize)..], sealedBytes.Slice(NonceSize, TagSize),
                plaintext, Encoding.UTF8.GetBytes(associatedData));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretsUnavailableException("The ciphertext does not open under this key (wrong key, other credential, or tampered).");
        }
    }

    public static byte[] FromBase64(string value)
    {
        try { return Convert.FromBase64String(value); }
        catch (FormatException) { throw new SecretsUnavailableException("The ciphertext is not base64."); }
    }
}
