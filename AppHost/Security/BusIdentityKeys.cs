using System.Security.Cryptography;

namespace Bitcain.AppHost.Security;

/// <summary>
/// One P-256 key pair per service identity on the bus, generated on the first run and kept with the data (mode 600):
/// each service gets its own private key and every service the public keys of all four.
/// </summary>
public sealed class BusIdentityKeys
{
    public static readonly IReadOnlyList<string> ServiceIdentities = ["gateway", "credentials", "sync", "market"];

    private readonly IReadOnlyDictionary<string, ECDsa> _keys;

    private BusIdentityKeys(IReadOnlyDictionary<string, ECDsa> keys) => _keys = keys;

    public static BusIdentityKeys Load(string dataFolder) =>
        new(ServiceIdentities.ToDictionary(name => name, name => LoadOrCreate(Path.Combine(dataFolder, $"bus-{name}.key"))));

    /// <summary>Fresh keys that live in memory only: a test run's.</summary>
    public static BusIdentityKeys Generate() =>
        new(ServiceIdentities.ToDictionary(name => name, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256)));

    public ECDsa KeyOf(string identity) => _keys[identity];

    /// <summary><c>Bus__Identity__*</c>: who the service signs as.</summary>
    public IEnumerable<KeyValuePair<string, string>> IdentityEnvironment(string identity) =>
    [
        new("Bus__Identity__Name", identity),
        new("Bus__Identity__SigningKey", _keys[identity].ExportPkcs8PrivateKeyPem()),
    ];

    /// <summary><c>Bus__Trusted__*</c>: the suite's own services may send anything for anyone.</summary>
    public IEnumerable<KeyValuePair<string, string>> TrustEnvironment() =>
        _keys.SelectMany(pair => new KeyValuePair<string, string>[]
        {
            new($"Bus__Trusted__{pair.Key}__PublicKey", pair.Value.ExportSubjectPublicKeyInfoPem()),
            new($"Bus__Trusted__{pair.Key}__ActsFor", "*"),
            new($"Bus__Trusted__{pair.Key}__MaySend", "*"),
        });

    private static ECDsa LoadOrCreate(string file)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(file))
        {
            key.ImportFromPem(File.ReadAllText(file));
            return key;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var writer = new StreamWriter(file, options))
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        return key;
    }
}
