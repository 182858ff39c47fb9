using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Bitcain.ServiceDefaults.BusIdentity;

/// <summary>This process's own signing identity: the name it signs as and its private P-256 key.</summary>
public sealed record BusSigningIdentity(string Name, ECDsa Key);

/// <summary>A signer this service believes, and what it lets that signer do.</summary>
/// <param name="ActsFor">User ids the signer may act for; <c>*</c> for any.</param>
/// <param name="MaySend">Message names (<c>bitcain.sync.sync-balances.v1</c>), prefixes ending in <c>*</c>, or <c>*</c>.</param>
public sealed record TrustedSigner(string Name, ECDsa PublicKey, IReadOnlyList<string> ActsFor, IReadOnlyList<string> MaySend)
{
    public bool MayActFor(string? user) => user is null || ActsFor.Contains("*") || ActsFor.Contains(user, StringComparer.Ordinal);

    public bool MaySendType(string messageType) => MaySend.Any(p =>
        p == "*" || p == messageType || (p.Length > 1 && p.EndsWith('*') && messageType.StartsWith(p[..^1], StringComparison.Ordinal)));
}

/// <summary>
/// Reads <c>Bus:Identity:*</c> (who this process is) and <c>Bus:Trusted:&lt;name&gt;:*</c> (whom it believes). A service
/// believes its own identity for everything: it schedules messages to itself.
/// </summary>
public static class BusTrustConfiguration
{
    public const string NameSetting = "Bus:Identity:Name";
    public const string SigningKeySetting = "Bus:Identity:SigningKey";
    public const string TrustedSection = "Bus:Trusted";

    public static BusSigningIdentity ReadIdentity(IConfiguration configuration, string defaultName)
    {
        var name = configuration[NameSetting] is { Length: > 0 } configured ? configured : defaultName;
        var pem = configuration[SigningKeySetting];
        if (string.IsNullOrWhiteSpace(pem))
            throw new InvalidOperationException(
                $"{SigningKeySetting} is not set: every service signs the messages it sends with its own P-256 key (README, \"Who may act on the bus\").");
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(Unescape(pem));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // The exception text could quote the key: name the setting only.
            throw new InvalidOperationException($"{SigningKeySetting} is not a PEM-encoded P-256 private key.");
        }
        if (key.KeySize != 256)
            throw new InvalidOperationException($"{SigningKeySetting} must be a P-256 key (ES256).");
        return new BusSigningIdentity(name, key);
    }

    public static IReadOnlyDictionary<string, TrustedSigner> ReadTrusted(IConfiguration configuration, BusSigningIdentity self)
    {
        var trusted = new Dictionary<string, TrustedSigner>(StringComparer.Ordinal)
        {
            [self.Name] = new(self.Name, self.Key, ["*"], ["*"]),
        };
        var signers = configuration.GetSection(TrustedSection);
        foreach (var name in signers.GetChildren().Select(signer => signer.Key))
        {
            if (signers[$"{name}:PublicKey"] is not { Length: > 0 } pem) continue;
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(Unescape(pem));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"{TrustedSection}:{name}:PublicKey is not a PEM-encoded P-256 public key.");
            }
            trusted[name] = new TrustedSigner(name, key, List(signers[$"{name}:ActsFor"]), List(signers[$"{name}:MaySend"]));
        }
        return trusted;
    }

    /// <summary>Env files and secret stores keep one line per value: a PEM may come with literal <c>\n</c>.</summary>
    private static string Unescape(string pem) => pem.Replace("\\n", "\n").Trim();

    private static IReadOnlyList<string> List(string? value) =>
        value?.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
