using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Secrets;

/// <summary>
/// Envelope encryption of exchange credentials. Each credential has its own random 256-bit data key; the key,
/// secret and passphrase are each sealed with AES-256-GCM under it, bound to the credential id and the field;
/// the data key itself is wrapped by the master key. Destroying the wrapped data key shreds the credential.
/// </summary>
public sealed class CredentialVault
{
    private readonly MasterKey _current;
    private readonly IReadOnlyDictionary<string, MasterKey> _keyring;

    /// <param name="current">Wraps every new data key and every re-wrap.</param>
    /// <param name="previous">Keys a rotation moves away from: still opened, never used to wrap.</param>
    public CredentialVault(MasterKey current, IEnumerable<MasterKey>? previous = null)
    {
        _current = current;
        var ring = new Dictionary<string, MasterKey> { [current.Id] = current };
        foreach (var key in previous ?? []) ring.TryAdd(key.Id, key);
        _keyring = ring;
    }

    public string CurrentMasterKeyId => _current.Id;

    /// <summary>The service's own sealing key pair, derived from the current master key (no extra configuration).</summary>
    public ServiceSealingKey SealingKey => _sealingKey ??= ServiceSealingKey.DeriveFrom(_current);
    private ServiceSealingKey? _sealingKey;

    /// <summary>Sealing key pairs of the previous master keys: a box sealed just before a rotation still opens.</summary>
    public IEnumerable<ServiceSealingKey> PreviousSealingKeys =>
        _keyring.Values.Where(k => k.Id != _current.Id).Select(ServiceSealingKey.DeriveFrom);

    public WrappedDataKey WrapNewDataKey(Guid credentialId)
    {
        var dataKey = RandomNumberGenerator.GetBytes(Aead.KeySize);
        try { return Wrap(credentialId, dataKey); }
        finally { CryptographicOperations.ZeroMemory(dataKey); }
    }

    /// <summary>The same data key wrapped under the current master key: events sealed with it stay readable.</summary>
    public WrappedDataKey Rewrap(Guid credentialId, WrappedDataKey wrapped)
    {
        var dataKey = Unwrap(credentialId, wrapped);
        try { return Wrap(credentialId, dataKey); }
        finally { CryptographicOperations.ZeroMemory(dataKey); }
    }

    public bool IsWrappedByCurrentKey(WrappedDataKey wrapped) => wrapped.MasterKeyId == _current.Id;

    public (SealedSecrets Sealed, WrappedDataKey DataKey) SealNew(Guid credentialId, SecretMaterial clear)
    {
        var key = WrapNewDataKey(credentialId);
        return (Seal(credentialId, clear, key), key);
    }

    public SealedSecrets Seal(Guid credentialId, SecretMaterial clear, WrappedDataKey key) =>
        new(SealField(credentialId, Field.ApiKey, clear.ApiKey, key),
            SealField(credentialId, Field.ApiSecret, clear.ApiSecret, key),
            clear.Passphrase is null ? null : SealField(credentialId, Field.Passphrase, clear.Passphrase, key));

    public SecretMaterial Open(Guid credentialId, SealedSecrets sealedSecrets, WrappedDataKey key) =>
        new(OpenField(credentialId, Field.ApiKey, sealedSecrets.ApiKey, key),
            OpenField(credentialId, Field.ApiSecret, sealedSecrets.ApiSecret, key),
            sealedSecrets.Passphrase is null ? null : OpenField(credentialId, Field.Passphrase, sealedSecrets.Passphrase, key));

    /// <summary>Seals one field, for a change that replaces only the key, the secret or the passphrase.</summary>
    public string SealField(Guid credentialId, Field field, string clear, WrappedDataKey key)
    {
        var dataKey = Unwrap(credentialId, key);
        try { return Convert.ToBase64String(Aead.Encrypt(dataKey, Encoding.UTF8.GetBytes(clear), FieldContext(credentialId, field))); }
        finally { CryptographicOperations.ZeroMemory(dataKey); }
    }

    public string OpenField(Guid credentialId, Field field, string sealedField, WrappedDataKey key)
    {
        var dataKey = Unwrap(credentialId, key);
        try { return Encoding.UTF8.GetString(Aead.Decrypt(dataKey, Aead.FromBase64(sealedField), FieldContext(credentialId, field))); }
        finally { CryptographicOperations.ZeroMemory(dataKey); }
    }

    public enum Field { ApiKey, ApiSecret, Passphrase }

    private WrappedDataKey Wrap(Guid credentialId, byte[] dataKey)
    {
        var wrappingKey = _current.WrappingKey;
        try
        {
            return new WrappedDataKey(_current.Id,
                Convert.ToBase64String(Aead.Encrypt(wrappingKey, dataKey, KeyContext(credentialId, _current.Id))));
        }
        finally { CryptographicOperations.ZeroMemory(wrappingKey); }
    }

    private byte[] Unwrap(Guid credentialId, WrappedDataKey wrapped)
    {
        if (!_keyring.TryGetValue(wrapped.MasterKeyId, out var master))
            throw new SecretsUnavailableException($"The data key is wrapped by master key {wrapped.MasterKeyId}, which is not configured.");
        var wrappingKey = master.WrappingKey;
        try { return Aead.Decrypt(wrappingKey, Aead.FromBase64(wrapped.Ciphertext), KeyContext(credentialId, master.Id)); }
        finally { CryptographicOperations.ZeroMemory(wrappingKey); }
    }

    private static string KeyContext(Guid credentialId, string masterKeyId) => $"bitcain.data-key.v1|{credentialId:N}|{masterKeyId}";

    private static string FieldContext(Guid credentialId, Field field) => $"bitcain.credential-field.v1|{credentialId:N}|{field}";

    public override string ToString() => $"CredentialVault (master key {_current.Id})";
}
