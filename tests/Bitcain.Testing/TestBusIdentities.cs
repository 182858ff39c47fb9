using System.Security.Cryptography;

namespace Bitcain.Testing;

/// <summary>
/// The bus keys of a test run, one P-256 pair per service as the AppHost makes them on a first run (in memory here),
/// and one integration of the kind the README describes: another system with a key of its own, trusted for what it may do.
/// </summary>
public static class TestBusIdentities
{
    public static readonly IReadOnlyList<string> ServiceIdentities = ["gateway", "credentials", "sync", "market"];

    private static readonly Dictionary<string, ECDsa> Keys =
        ServiceIdentities.ToDictionary(name => name, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>An integration trusted to update and delete credentials, for any user.</summary>
    public const string Integration = "back_office";
    public const string IntegrationMaySend = "bitcain.credentials.update-credential.v1 bitcain.credentials.delete-credential.v1";
    public static ECDsa IntegrationKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static ECDsa KeyOf(string identity) => Keys[identity];

    public static IEnumerable<KeyValuePair<string, string>> IdentityEnvironment(string identity) =>
    [
        new("Bus__Identity__Name", identity),
        new("Bus__Identity__SigningKey", Keys[identity].ExportPkcs8PrivateKeyPem()),
    ];

    public static IEnumerable<KeyValuePair<string, string>> TrustEnvironment() =>
        Keys.Select(pair => (Name: pair.Key, Key: pair.Value, MaySend: "*"))
            .Append((Name: Integration, Key: IntegrationKey, MaySend: IntegrationMaySend))
            .SelectMany(t => new KeyValuePair<string, string>[]
            {
                new($"Bus__Trusted__{t.Name}__PublicKey", t.Key.ExportSubjectPublicKeyInfoPem()),
                new($"Bus__Trusted__{t.Name}__ActsFor", "*"),
                new($"Bus__Trusted__{t.Name}__MaySend", t.MaySend),
            });

    /// <summary>Everything a service process of the suite needs: its own identity and the trust of all.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentFor(string identity) =>
        IdentityEnvironment(identity).Concat(TrustEnvironment());
}
