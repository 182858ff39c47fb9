using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Secrets;

/// <summary>
/// Public-key sealing so a secret crosses the bus unreadable to anyone but the credential service:
/// ECDH P-256 with a fresh ephemeral key per box (or per request's set of boxes, <see cref="SealAll"/>), HKDF-SHA256, AES-256-GCM. A box is base64 of
/// version | ephemeral public point (65 bytes, uncompressed) | nonce | tag | ciphertext, and is bound to a context
/// string (e.g. the user and the field) that the opener must name again.
/// </summary>
public static class SealedBox
{
    private const byte Version = 1;
    private const int PointSize = 65;

    /// <param name="recipientPublicKey">The recipient's SubjectPublicKeyInfo, base64 (see <see cref="ServiceSealingKey.PublicKey"/>).</param>
    public static string Seal(string recipientPublicKey, string clear, string context)
    {
        using var recipient = new SealingRecipient(recipientPublicKey);
        return Seal(recipient, clear, context);
    }

    /// <summary>Seals for a recipient whose key was imported once: the box is the same, a fresh ephemeral key each time.</summary>
    public static string Seal(SealingRecipient recipient, string clear, string context)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = Point(ephemeral.ExportParameters(false));
        var key = BoxKey(ephemeral.DeriveRawSecretAgreement(recipient.Key), point, recipient.PublicKey);
        try
        {
            var body = Aead.Encrypt(key, Encoding.UTF8.GetBytes(clear), context);
            return Convert.ToBase64String([Version, .. point, .. body]);
        }
        finally { CryptographicOperations.ZeroMemory(key); }
    }

    /// <summary>
    /// Seals the fields of one request with one ephemeral key: one key generation and one agreement for all of them
    /// instead of one per field, which is most of a seal's cost. The boxes are in the same format and each opens on its
    /// own; they share the box key, and each is encrypted under its own random nonce and bound to its own context
    /// (user and field, as associated data), so one cannot stand in for another field or user. A null field stays null.
    /// </summary>
    public static string?[] SealAll(SealingRecipient recipient, IReadOnlyList<(string? Clear, string Context)> fields)
    {
        var boxes = new string?[fields.Count];
        if (fields.All(f => f.Clear is null)) return boxes;
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = Point(ephemeral.ExportParameters(false));
        var key = BoxKey(ephemeral.DeriveRawSecretAgreement(recipient.Key), point, recipient.PublicKey);
        try
        {
            for (var i = 0; i < fields.Count; i++)
                if (fields[i].Clear is { } clear)
                    boxes[i] = Convert.ToBase64String([Version, .. point, .. Aead.Encrypt(key, Encoding.UTF8.GetBytes(clear), fields[i].Context)]);
            return boxes;
        }
        finally { CryptographicOperations.ZeroMemory(key); }
    }

    internal static string Open(ECDiffieHellman recipient, string recipientPublicKey, string box, string context) =>
        OpenAll(recipient, recipientPublicKey, [(box, context)])[0]!;

    /// <summary>
    /// Opens several boxes; boxes sealed with one ephemeral key (<see cref="SealAll"/>) pay for one point check and one
    /// agreement between them. Each box is still checked and opened against its own context.
    /// </summary>
    internal static string?[] OpenAll(ECDiffieHellman recipient, string recipientPublicKey, IReadOnlyList<(string? Box, string Context)> boxes)
    {
        var opened = new string?[boxes.Count];
        byte[]? lastPoint = null, lastKey = null;
        try
        {
            for (var i = 0; i < boxes.Count; i++)
            {
                if (boxes[i].Box is not { } box) continue;
                var bytes = Aead.FromBase64(box);
                if (bytes.Length < 1 + PointSize || bytes[0] != Version) throw new SecretsUnavailableException("Not a sealed box of a known version.");
                var point = bytes.AsSpan(1, PointSize);
                if (lastPoint is null || !point.SequenceEqual(lastPoint))
                {
                    if (lastKey is not null) CryptographicOperations.ZeroMemory(lastKey);
                    lastPoint = point.ToArray();
                    lastKey = DeriveBoxKey(recipient, recipientPublicKey, lastPoint);
                }
                opened[i] = Encoding.UTF8.GetString(Aead.Decrypt(lastKey!, bytes.AsSpan(1 + PointSize), boxes[i].Context));
            }
            return opened;
        }
        finally
        {
            if (lastKey is not null) CryptographicOperations.ZeroMemory(lastKey);
        }
    }

    private static byte[] DeriveBoxKey(ECDiffieHellman recipient, string recipientPublicKey, byte[] point)
    {
        using var sender = ECDiffieHellman.Create();
        try
        {
            sender.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..] },
            });
        }
        catch (CryptographicException) { throw new SecretsUnavailableException("The sealed box's ephemeral key is not a P-256 point."); }
        return BoxKey(recipient.DeriveRawSecretAgreement(sender.PublicKey), point, recipientPublicKey);
    }

    private static byte[] Point(ECParameters p) => [0x04, .. p.Q.X!, .. p.Q.Y!];

    private static byte[] BoxKey(byte[] shared, byte[] ephemeralPoint, string recipientPublicKey)
    {
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, Aead.KeySize, salt: ephemeralPoint,
                info: Encoding.UTF8.GetBytes("bitcain.sealed-box.v1|" + recipientPublicKey));
        }
        finally { CryptographicOperations.ZeroMemory(shared); }
    }
}

/// <summary>
/// A recipient's public key imported once. Importing checks the point (OpenSSL multiplies it by the curve's order),
/// which costs as much as the agreement itself: a sender that seals for the same key again and again (the gateway,
/// twice per request) keeps one of these instead of importing per box. Safe to share between threads: each agreement
/// takes its own reference to the key.
/// </summary>
public sealed class SealingRecipient : IDisposable
{
    private readonly ECDiffieHellman _imported;

    /// <param name="publicKey">SubjectPublicKeyInfo, base64.</param>
    public SealingRecipient(string publicKey)
    {
        _imported = ECDiffieHellman.Create();
        try
        {
            _imported.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            Key = _imported.PublicKey;
        }
        catch
        {
            _imported.Dispose();
            throw;
        }
        PublicKey = publicKey;
    }

    /// <summary>SubjectPublicKeyInfo, base64, as given.</summary>
    public string PublicKey { get; }

    internal ECDiffieHellmanPublicKey Key { get; }

    public void Dispose()
    {
        Key.Dispose();
        _imported.Dispose();
    }
}

/// <summary>
/// The credential service's ECDH P-256 key pair, derived from the master key with HKDF so that every instance of
/// the service has the same one and nothing more needs configuring. The public half is given out freely.
/// </summary>
public sealed class ServiceSealingKey : IDisposable
{
    // The order of P-256: a private scalar must lie in [1, n-1].
    private static readonly System.Numerics.BigInteger Order = System.Numerics.BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private readonly ECDiffieHellman _pair;

    private ServiceSealingKey(ECDiffieHellman pair, string masterKeyId)
    {
        _pair = pair;
        PublicKey = Convert.ToBase64String(pair.ExportSubjectPublicKeyInfo());
        MasterKeyId = masterKeyId;
    }

    /// <summary>SubjectPublicKeyInfo, base64.</summary>
    public string PublicKey { get; }

    public string MasterKeyId { get; }

    public static ServiceSealingKey DeriveFrom(MasterKey master)
    {
        for (var attempt = 0; ; attempt++)
        {
            var d = master.Derive($"bitcain.sealing-key.p256.v1|{attempt}", 32);
            var scalar = new System.Numerics.BigInteger(d, isUnsigned: true, isBigEndian: true);
            if (scalar.IsZero || scalar >= Order) { CryptographicOperations.ZeroMemory(d); continue; }
            var pair = ECDiffieHellman.Create();
            pair.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            CryptographicOperations.ZeroMemory(d);
            return new ServiceSealingKey(pair, master.Id);
        }
    }

    public string Open(string box, string context) => SealedBox.Open(_pair, PublicKey, box, context);

    /// <summary>Several boxes at once (the fields of one command): those sealed together share one agreement.</summary>
    public string?[] OpenAll(IReadOnlyList<(string? Box, string Context)> boxes) => SealedBox.OpenAll(_pair, PublicKey, boxes);

    public void Dispose() => _pair.Dispose();

    public override string ToString() => $"ServiceSealingKey (master key {MasterKeyId})";
}

/// <summary>The context a sealed field is bound to: the user it belongs to and which field it is.</summary>
public static class SealingContext
{
    public static string For(string userId, string field) => $"bitcain.sealed-field.v1|{userId}|{field}";
}
