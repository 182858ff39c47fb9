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
/// a mistake (a typo'd year, an epoch default) that the gateway refuses instead of paging through empty years.
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
    DateTimeOffset TradingSince);

/// <summary>The nine exchanges of the contract, and the one place their names are resolved.</summary>
public static class ExchangeCatalog
{
    private const ExchangeCapabilities Common =
        ExchangeCapabilities.Health | ExchangeCapabilities.Markets | ExchangeCapabilities.Ticker |
        ExchangeCapabilities.Balances | ExchangeCapabilities.Trades | ExchangeCapabilities.KeyPermissions;

    // Fees are each exchange's published base-tier spot fees; the exchange's own answer wins where a client reads it.
    // Trading floors are each venue's public launch. Where only the month or year of a launch is published, the floor is
    // the first day of that period: a floor a little early costs a few empty pages, one a little late refuses real trades.
    public static IReadOnlyList<ExchangeDescriptor> All { get; } =
    [
        // Binance opened trading on 2017-07-14 (its own "Binance Launch" announcement and every anniversary post since).
        new("binance", "Binance", "https://www.binance.com", "https://api.binance.com", false, [], 0.001m, 0.001m,
            Common | ExchangeCapabilities.BnbBurn | ExchangeCapabilities.DustAssets, Day(2017, 7, 14)),
        // No BNB burn on Binance.US: see BinanceClient.CapabilitiesOf for the sources.
        // Binance.US opened trading on 2019-09-18 (its launch announcement); it shares no history with binance.com.
        new("binanceus", "Binance.US", "https://www.binance.us", "https://api.binance.us", false, ["binance_us"], 0.006m, 0.006m,
            Common | ExchangeCapabilities.DustAssets, Day(2019, 9, 18)),
        // Coinbase Exchange (later GDAX, Coinbase Pro) launched 2015-01-26. Advanced Trade's fills reach back to an
        // account's first fill there, so the exchange's launch, not Advanced Trade's (2022), is the floor.
        new("coinbase", "Coinbase Advanced Trade", "https://www.coinbase.com", "https://api.coinbase.com", false, [], 0.006m, 0.012m, Common,
            Day(2015, 1, 26)),
        // Kraken's public launch, 2013-09-10 (kraken.com "About", the launch press release).
        new("kraken", "Kraken", "https://www.kraken.com", "https://api.kraken.com", false, [], 0.0025m, 0.004m, Common, Day(2013, 9, 10)),
        // Bybit started with derivatives in 2018; spot trading (what the client syncs: category=spot) opened in July 2021,
        // announced without a single day that every source agrees on, hence the month's first day.
        new("bybit", "Bybit", "https://www.bybit.com", "https://api.bybit.com", false, [], 0.001m, 0.001m, Common, Day(2021, 7, 1)),
        // KuCoin opened on 2017-09-15 (its own anniversary posts).
        new("kucoin", "KuCoin", "https://www.kucoin.com", "https://api.kucoin.com", true, [], 0.001m, 0.001m, Common, Day(2017, 9, 15)),
        // Bitfinex was founded and opened in 2012 (CoinDesk, its own history); no day is published, hence the year's first.
        new("bitfinex", "Bitfinex", "https://www.bitfinex.com", "https://api.bitfinex.com", false, [], 0.001m, 0.002m, Common, Day(2012, 1, 1)),
        // OKX began as OKEx in 2017, spun off OKCoin; no day is published, hence the year's first.
        new("okx", "OKX", "https://www.okx.com", "https://www.okx.com", true, [], 0.0008m, 0.001m, Common, Day(2017, 1, 1)),
        // The client appends Gate's own /api/v4 paths (they are what it signs), so the base URL stops at the host.
        // No key permissions: Gate's API reports none (see GateIoClient).
        // Gate.io began as Bter.com in 2013 (renamed 2017, accounts carried over); no day is published, hence the year's first.
        new("gate_io", "Gate.io", "https://www.gate.io", "https://api.gateio.ws", false, [], 0.002m, 0.002m,
            Common & ~ExchangeCapabilities.KeyPermissions, Day(2013, 1, 1)),
    ];

    private static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

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
