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

/// <summary>The static facts Bitcain knows about one exchange, independent of any client.</summary>
public sealed record ExchangeDescriptor(
    string Id,
    string Name,
    string Website,
    string DefaultBaseUrl,
    bool RequiresPassphrase,
    IReadOnlyList<string> Aliases,
    decimal DefaultMakerFee,
    decimal DefaultTakerFee,
    ExchangeCapabilities Capabilities);

/// <summary>The nine exchanges of the contract, and the one place their names are resolved.</summary>
public static class ExchangeCatalog
{
    private const ExchangeCapabilities Common =
        ExchangeCapabilities.Health | ExchangeCapabilities.Markets | ExchangeCapabilities.Ticker |
        ExchangeCapabilities.Balances | ExchangeCapabilities.Trades | ExchangeCapabilities.KeyPermissions;

    // Fees are each exchange's published base-tier spot fees; the exchange's own answer wins where a client reads it.
    public static IReadOnlyList<ExchangeDescriptor> All { get; } =
    [
        new("binance", "Binance", "https://www.binance.com", "https://api.binance.com", false, [], 0.001m, 0.001m,
            Common | ExchangeCapabilities.BnbBurn | ExchangeCapabilities.DustAssets),
        // No BNB burn on Binance.US: see BinanceClient.CapabilitiesOf for the sources.
        new("binanceus", "Binance.US", "https://www.binance.us", "https://api.binance.us", false, ["binance_us"], 0.006m, 0.006m,
            Common | ExchangeCapabilities.DustAssets),
        new("coinbase", "Coinbase Advanced Trade", "https://www.coinbase.com", "https://api.coinbase.com", false, [], 0.006m, 0.012m, Common),
        new("kraken", "Kraken", "https://www.kraken.com", "https://api.kraken.com", false, [], 0.0025m, 0.004m, Common),
        new("bybit", "Bybit", "https://www.bybit.com", "https://api.bybit.com", false, [], 0.001m, 0.001m, Common),
        new("kucoin", "KuCoin", "https://www.kucoin.com", "https://api.kucoin.com", true, [], 0.001m, 0.001m, Common),
        new("bitfinex", "Bitfinex", "https://www.bitfinex.com", "https://api.bitfinex.com", false, [], 0.001m, 0.002m, Common),
        new("okx", "OKX", "https://www.okx.com", "https://www.okx.com", true, [], 0.0008m, 0.001m, Common),
        // The client appends Gate's own /api/v4 paths (they are what it signs), so the base URL stops at the host.
        // No key permissions: Gate's API reports none (see GateIoClient).
        new("gate_io", "Gate.io", "https://www.gate.io", "https://api.gateio.ws", false, [], 0.002m, 0.002m,
            Common & ~ExchangeCapabilities.KeyPermissions),
    ];

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
