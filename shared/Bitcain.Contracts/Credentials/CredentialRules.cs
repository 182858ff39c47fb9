using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bitcain.Exchanges;

namespace Bitcain.Contracts.Credentials;

/// <summary>
/// What a credential may be, in one place: the gateway's credential endpoints read bodies with these bounds and
/// messages, and the credentials service checks every store and update command from the bus with them (secrets after
/// unsealing), so a command the REST API would refuse is refused with the same entries whoever sent it.
/// </summary>
public static class CredentialRules
{
    public const int NameMinLength = 1;
    public const int NameMaxLength = 100;
    public const int SecretMinLength = 8;

    // The longest real ones are Coinbase CDP keys: an API key name of about 100 characters and a PEM EC private key of
    // about 230; a factor of four above both leaves room without letting a field fill a message.
    public const int ApiKeyMaxLength = 512;
    public const int ApiSecretMaxLength = 1024;

    // OKX caps a passphrase at 32 characters, KuCoin's are shorter still.
    public const int PassphraseMaxLength = 128;

    /// <summary>Compact JSON (UTF-8 bytes) and nesting (an object or array is one level) of <c>exchange_metadata</c>.</summary>
    public const int MetadataMaxBytes = 4096;
    public const int MetadataMaxDepth = 5;

    public static IReadOnlyList<string> Permissions { get; } = ["read", "trade", "withdraw"];
    public static IReadOnlyList<string> DefaultPermissions { get; } = ["read"];
    public const string DefaultName = "Default";

    /// <summary>First 4 and last 4 characters, the rest <c>*</c> (CONTRACT); short keys are fully masked.</summary>
    /// <remarks>The service masks the key it unsealed itself: a mask taken on trust from the bus could be the key.</remarks>
    public static string MaskOf(string apiKey) =>
        apiKey.Length <= 8 ? new string('*', apiKey.Length) : apiKey[..4] + new string('*', apiKey.Length - 8) + apiKey[^4..];

    public static string UnknownExchange(string raw) =>
        $"unsupported exchange '{raw}'; supported: {string.Join(", ", ExchangeCatalog.Ids)}";

    public static string InvalidAddress(string raw) => $"'{raw}' is not a valid IPv4/IPv6 address or CIDR range";

    public static RuleViolation? Length(object[] loc, string value, int? min, int? max, bool secret = false) =>
        min is { } lo && value.Length < lo ? RuleViolation.TooShort(loc, secret ? null : value, lo)
        : max is { } hi && value.Length > hi ? RuleViolation.TooLong(loc, secret ? null : value, hi)
        : null;

    /// <summary>A permission as sent, normalized (trimmed, lower case), or null when it is none of <see cref="Permissions"/>.</summary>
    public static string? Permission(string value) => value.Trim().ToLowerInvariant() is var p && Permissions.Contains(p) ? p : null;

    /// <summary>Required where the exchange signs with one (KuCoin, OKX); an empty one counts as none.</summary>
    public static RuleViolation? PassphraseRequired(ExchangeDescriptor exchange, string? passphrase) =>
        exchange.RequiresPassphrase && string.IsNullOrEmpty(passphrase)
            ? RuleViolation.ValueError(["body", "api_passphrase"], passphrase, $"api_passphrase is required for {exchange.Id}")
            : null;

    public static RuleViolation? Metadata(object[] loc, JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
            return new RuleViolation("dict_type", loc, "Input should be a valid dictionary", metadata);
        if (Depth(metadata) > MetadataMaxDepth)
            return RuleViolation.ValueError(loc, null, $"exchange_metadata may nest at most {MetadataMaxDepth} levels");
        if (JsonSerializer.SerializeToUtf8Bytes(metadata).Length > MetadataMaxBytes)
            return RuleViolation.ValueError(loc, null, $"exchange_metadata may be at most {MetadataMaxBytes} bytes of JSON");
        return null;
    }

    private static int Depth(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => 1 + e.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + e.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>Strict: <c>1.2.3</c> or <c>010.1.1.1</c> are addresses to .NET's lenient parser, not to a firewall.</summary>
    public static bool IsAddressOrRange(string value)
    {
        var slash = value.IndexOf('/');
        var address = slash < 0 ? value : value[..slash];
        if (!IsStrictAddress(address, out var family)) return false;
        if (slash < 0) return true;
        var prefix = value[(slash + 1)..];
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        return prefix.Length is > 0 and <= 3 && prefix.All(char.IsAsciiDigit) && int.Parse(prefix) <= max && IPNetwork.TryParse(value, out _);
    }

    private static bool IsStrictAddress(string address, out AddressFamily family)
    {
        family = default;
        if (address.Contains(':'))
        {
            if (!IPAddress.TryParse(address, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            family = v6.AddressFamily;
            return true;
        }
        var parts = address.Split('.');
        family = AddressFamily.InterNetwork;
        return parts.Length == 4 && parts.All(p =>
            p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p) <= 255);
    }

    /// <summary>The secrets of a command, opened; null = not given.</summary>
    public sealed record ClearSecrets(string? ApiKey, string? ApiSecret, string? Passphrase);

    /// <summary>
    /// A store command checked field by field in the order of the REST body, as the gateway reports them; the
    /// passphrase an exchange needs is asked for only of an otherwise valid command, as the gateway does.
    /// </summary>
    public static (IReadOnlyList<RuleViolation> Violations, StoreCredential Normalized) CheckStore(StoreCredential command, ClearSecrets clear)
    {
        var violations = new List<RuleViolation>();
        ExchangeDescriptor? exchange = null;
        if (command.ExchangeName is null) violations.Add(RuleViolation.Missing(["body", "exchange_name"]));
        else if (!ExchangeCatalog.TryResolve(command.ExchangeName, out exchange))
            violations.Add(RuleViolation.ValueError(["body", "exchange_name"], command.ExchangeName, UnknownExchange(command.ExchangeName)));

        var name = command.CredentialName ?? DefaultName;
        Add(violations, Length(["body", "credential_name"], name, NameMinLength, NameMaxLength));
        Secret(violations, "api_key", clear.ApiKey, required: true, ApiKeyMaxLength);
        Secret(violations, "api_secret", clear.ApiSecret, required: true, ApiSecretMaxLength);
        if (clear.Passphrase is { } p) Add(violations, Length(["body", "api_passphrase"], p, null, PassphraseMaxLength, secret: true));
        var permissions = CheckPermissions(violations, command.Permissions ?? DefaultPermissions);
        var whitelist = CheckWhitelist(violations, command.IpWhitelist ?? []);
        if (command.ExchangeMetadata is { ValueKind: not JsonValueKind.Null } metadata) Add(violations, Metadata(["body", "exchange_metadata"], metadata));

        if (violations.Count == 0) Add(violations, PassphraseRequired(exchange!, clear.Passphrase));
        var normalized = command with
        {
            ExchangeName = exchange?.Id ?? command.ExchangeName!,
            CredentialName = name,
            ApiKeyMasked = clear.ApiKey is null ? "" : MaskOf(clear.ApiKey),
            HasPassphrase = !string.IsNullOrEmpty(clear.Passphrase),
            Permissions = permissions,
            IpWhitelist = whitelist,
        };
        return (violations, normalized);
    }

    /// <summary>An update command checked as the gateway checks a PUT body: only the fields it changes.</summary>
    public static (IReadOnlyList<RuleViolation> Violations, UpdateCredential Normalized) CheckUpdate(UpdateCredential command, ClearSecrets clear)
    {
        var violations = new List<RuleViolation>();
        if (command.CredentialName is { } name) Add(violations, Length(["body", "credential_name"], name, NameMinLength, NameMaxLength));
        Secret(violations, "api_key", clear.ApiKey, required: false, ApiKeyMaxLength);
        Secret(violations, "api_secret", clear.ApiSecret, required: false, ApiSecretMaxLength);
        if (clear.Passphrase is { } p) Add(violations, Length(["body", "api_passphrase"], p, null, PassphraseMaxLength, secret: true));
        var permissions = command.Permissions is { } asked ? CheckPermissions(violations, asked) : null;
        var whitelist = command.IpWhitelist is { } entries ? CheckWhitelist(violations, entries) : null;
        if (command.ExchangeMetadata is { ValueKind: not JsonValueKind.Null } metadata) Add(violations, Metadata(["body", "exchange_metadata"], metadata));
        return (violations, command with
        {
            ApiKeyMasked = clear.ApiKey is null ? null : MaskOf(clear.ApiKey),
            Permissions = permissions,
            IpWhitelist = whitelist,
        });
    }

    private static void Secret(List<RuleViolation> violations, string field, string? value, bool required, int max)
    {
        if (value is null) { if (required) violations.Add(RuleViolation.Missing(["body", field])); return; }
        Add(violations, Length(["body", field], value, SecretMinLength, max, secret: true));
    }

    private static List<string> CheckPermissions(List<RuleViolation> violations, IReadOnlyList<string?> asked)
    {
        var permissions = new List<string>();
        for (var i = 0; i < asked.Count; i++)
        {
            if (asked[i] is not { } raw) { violations.Add(StringType(["body", "permissions", i])); continue; }
            if (Permission(raw) is not { } permission) { violations.Add(RuleViolation.Literal(["body", "permissions", i], raw, Permissions)); continue; }
            if (!permissions.Contains(permission)) permissions.Add(permission);
        }
        return permissions;
    }

    private static List<string> CheckWhitelist(List<RuleViolation> violations, IReadOnlyList<string?> entries)
    {
        var whitelist = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } raw) { violations.Add(StringType(["body", "ip_whitelist", i])); continue; }
            if (!IsAddressOrRange(raw.Trim())) { violations.Add(RuleViolation.ValueError(["body", "ip_whitelist", i], raw, InvalidAddress(raw))); continue; }
            whitelist.Add(raw.Trim());
        }
        return whitelist;
    }

    private static RuleViolation StringType(object[] loc) => new("string_type", loc, "Input should be a valid string", null);

    private static void Add(List<RuleViolation> violations, RuleViolation? violation)
    {
        if (violation is not null) violations.Add(violation);
    }
}
