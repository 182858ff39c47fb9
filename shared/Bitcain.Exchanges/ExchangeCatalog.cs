namespace Bitcain.Exchanges;

/// <summary>What an exchange client can do. <c>/api/exchange/supported</c> and <c>/info</c> report these.</summary>
[Flags]
public enum ExchangeCapabilities
{
    None = 0,
    Health = 1 << 0,
    Markets = 1 << 1,
    Ticker = 1 << 2,
    Balances = 1 << 3,
    Trades = 1 << 4,
    KeyPermissions = 1 << 5,
    BnbBurn = 1 << 6,
    DustAssets = 1 << 7,
}

/// <summary>
/// The static facts Bitcain knows about one exchange, independent of any client. <see cref="TradingSince"/> is the
/// first day of spot trading on the venue: no account can have a trade before it, so a sync asked to start earlier is
/// a mistake (a typo'd year, an epoch default) that the gateway refuses instead of paging through empty years. Fees are
/// the exchange's published base-tier spot fees; the exchange's own answer wins where a client reads it.
/// </summary>
public sealed record ExchangeDescriptor(
    string Id,
    string Name,
    string Website,
    string DefaultBaseUrl,
    bool RequiresPassphrase,
    IReadOnlyList<string> Aliases,
    decimal DefaultMakerFee,
    decimal DefaultTakerFee,
    ExchangeCapabilities Capabilities,
    DateTimeOffset TradingSince)
{
    /// <summary>A launch day at UTC midnight, as a module states <see cref="TradingSince"/>. Where only the month or year
    /// of a launch is published, the module takes the first day of that period: a floor a little early costs a few empty
    /// pages, one a little late refuses real trades.</summary>
    public static DateTimeOffset UtcDay(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>What most exchanges' clients do; a module adds or removes from it what its exchange differs in.</summary>
public static class ExchangeCapabilitySets
{
    public const ExchangeCapabilities Standard =
        ExchangeCapabilities.Health | ExchangeCapabilities.Markets | ExchangeCapabilities.Ticker |
        ExchangeCapabilities.Balances | ExchangeCapabilities.Trades | ExchangeCapabilities.KeyPermissions;
}

/// <summary>
/// The exchanges' static facts, read from their modules (<see cref="ExchangeModules"/>), and the one place their names
/// are resolved.
/// </summary>
public static class ExchangeCatalog
{
    public static IReadOnlyList<ExchangeDescriptor> All { get; } = ExchangeModules.All.Select(m => m.Descriptor).ToList();

    private static readonly Dictionary<string, ExchangeDescriptor> ByName = BuildIndex();

    public static IEnumerable<string> Ids => All.Select(e => e.Id);

    /// <summary>Resolves an exchange name as a user may type it: any case, with or without surrounding blanks, or an alias.</summary>
    public static bool TryResolve(string? name, out ExchangeDescriptor exchange)
    {
        exchange = null!;
        if (string.IsNullOrWhiteSpace(name)) return false;
        return ByName.TryGetValue(name.Trim(), out exchange!);
    }

    public static ExchangeDescriptor Get(string id) =>
        TryResolve(id, out var e) ? e : throw new ArgumentOutOfRangeException(nameof(id), id, "not an exchange of the catalog");

    private static Dictionary<string, ExchangeDescriptor> BuildIndex()
    {
        var index = new Dictionary<string, ExchangeDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in All)
        {
            index[e.Id] = e;
            foreach (var alias in e.Aliases) index[alias] = e;
        }
        return index;
    }
}

public static class ExchangeCapabilityNames
{
    /// <summary>The feature names the contract uses on the wire, in a stable order.</summary>
    public static IReadOnlyList<string> Of(ExchangeCapabilities capabilities) =>
        Names.Where(n => capabilities.HasFlag(n.Capability)).Select(n => n.Name).ToList();

    private static readonly (ExchangeCapabilities Capability, string Name)[] Names =
    [
        (ExchangeCapabilities.Health, "health"),
        (ExchangeCapabilities.Markets, "markets"),
        (ExchangeCapabilities.Ticker, "ticker"),
        (ExchangeCapabilities.Balances, "balances"),
        (ExchangeCapabilities.Trades, "trades"),
        (ExchangeCapabilities.KeyPermissions, "key_permissions"),
        (ExchangeCapabilities.BnbBurn, "bnb_burn"),
        (ExchangeCapabilities.DustAssets, "dust_assets"),
    ];
}
