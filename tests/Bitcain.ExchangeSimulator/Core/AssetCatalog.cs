namespace Bitcain.ExchangeSimulator;

/// <summary>Reference USD prices the generated markets, tickers and trades are derived from. Real tickers first
/// (so BTC, ETH, SOL look like themselves), then deterministic made-up tickers to give each exchange its real size.</summary>
internal static class AssetCatalog
{
    private static readonly (string Asset, decimal Usd)[] KnownCrypto =
    [
        ("BTC", 91250m), ("ETH", 3150m), ("BNB", 905m), ("SOL", 182.4m), ("XRP", 2.21m), ("ADA", 0.612m), ("DOGE", 0.1831m),
        ("TRX", 0.2874m), ("DOT", 4.12m), ("LTC", 88.6m), ("LINK", 15.2m), ("AVAX", 19.8m), ("POL", 0.218m), ("SHIB", 0.00001232m),
        ("UNI", 8.04m), ("ATOM", 4.95m), ("XLM", 0.302m), ("ETC", 16.9m), ("FIL", 2.86m), ("NEAR", 2.94m), ("APT", 5.12m),
        ("ARB", 0.398m), ("OP", 0.612m), ("SUI", 2.48m), ("PEPE", 0.00000987m), ("AAVE", 214.5m), ("MKR", 1540m), ("ALGO", 0.187m),
        ("ICP", 6.21m), ("HBAR", 0.171m), ("VET", 0.0231m), ("SAND", 0.241m), ("MANA", 0.276m), ("AXS", 3.02m), ("GRT", 0.093m),
        ("EGLD", 18.3m), ("XTZ", 0.71m), ("THETA", 0.92m), ("FTM", 0.54m), ("RUNE", 1.72m), ("CRV", 0.51m), ("SNX", 1.31m),
        ("COMP", 48.7m), ("ZEC", 412.5m), ("DASH", 71.2m), ("XMR", 348m), ("BCH", 512.4m), ("KSM", 14.8m), ("ENJ", 0.082m),
        ("CHZ", 0.0387m), ("BAT", 0.178m), ("ZRX", 0.241m), ("1INCH", 0.221m), ("SUSHI", 0.612m), ("YFI", 5120m), ("INJ", 12.9m),
        ("SEI", 0.211m), ("TIA", 1.62m), ("WLD", 0.742m), ("JUP", 0.412m), ("BONK", 0.00001412m), ("WIF", 0.512m), ("FET", 0.41m),
        ("RNDR", 2.31m), ("IMX", 0.52m), ("LDO", 0.91m), ("STX", 0.46m), ("GALA", 0.0112m), ("FLOW", 0.41m), ("MINA", 0.21m),
        ("KAVA", 0.31m), ("ZIL", 0.0102m), ("ONE", 0.0112m), ("QTUM", 2.11m), ("IOTA", 0.131m), ("NEO", 4.92m), ("WAVES", 0.92m),
        ("ANKR", 0.0152m), ("CELO", 0.31m), ("ROSE", 0.0213m), ("API3", 0.71m), ("BAND", 0.62m), ("OCEAN", 0.41m), ("STORJ", 0.22m),
        ("TON", 2.12m), ("PYTH", 0.102m), ("ENA", 0.312m), ("ONDO", 0.612m), ("TAO", 312m), ("KAS", 0.061m), ("TRUMP", 6.1m),
    ];

    private static readonly Dictionary<string, decimal> Fiat = new(StringComparer.Ordinal)
    {
        ["USD"] = 1m, ["USDT"] = 1m, ["USDC"] = 1m, ["FDUSD"] = 1m, ["DAI"] = 1m, ["EUR"] = 1.08m, ["GBP"] = 1.27m,
        ["TRY"] = 0.0291m, ["BRL"] = 0.181m, ["JPY"] = 0.0066m, ["CAD"] = 0.72m, ["AUD"] = 0.65m, ["CHF"] = 1.12m,
    };

    private static readonly Lazy<IReadOnlyList<string>> AllCrypto = new(BuildCryptoList);
    private static readonly Dictionary<string, decimal> KnownPrices = KnownCrypto.ToDictionary(k => k.Asset, k => k.Usd);

    /// <summary>The twenty largest assets trade far more than the long tail; volumes are scaled by this.</summary>
    public static decimal VolumeScale(string asset) =>
        Array.FindIndex(KnownCrypto, k => k.Asset == asset) is >= 0 and < 20 ? 10_000m : 1m;

    public static bool IsFiatOrStable(string asset) => Fiat.ContainsKey(asset);

    /// <summary>The first <paramref name="count"/> crypto assets: real tickers, then generated ones.</summary>
    public static IReadOnlyList<string> Crypto(int count) => AllCrypto.Value.Take(count).ToList();

    public static decimal UsdPrice(string asset)
    {
        if (Fiat.TryGetValue(asset, out var fiat)) return fiat;
        if (KnownPrices.TryGetValue(asset, out var known)) return known;
        // Log-uniform between 0.0001 and 100 USD, rounded to 4 significant digits.
        var exponent = -4 + 6 * Deterministic.Unit(Deterministic.Hash("usd-price/" + asset));
        return Significant((decimal)Math.Pow(10, exponent), 4);
    }

    public static decimal Significant(decimal value, int digits)
    {
        if (value <= 0) return 0;
        var magnitude = (int)Math.Floor(Math.Log10((double)value));
        var decimals = Math.Clamp(digits - 1 - magnitude, 0, 20);
        return Math.Round(value, decimals);
    }

    private static IReadOnlyList<string> BuildCryptoList()
    {
        var names = new List<string>(KnownCrypto.Select(k => k.Asset));
        var taken = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var f in Fiat.Keys) taken.Add(f);
        const string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (long i = 0; names.Count < 1200; i++)
        {
            var h = Deterministic.Hash("asset-name", i);
            var length = 3 + (int)(h % 3);
            var chars = new char[length];
            for (var c = 0; c < length; c++)
            {
                h = Deterministic.Mix(h);
                chars[c] = letters[(int)(h % 26)];
            }
            var name = new string(chars);
            // Avoid Kraken's legacy X/Z prefixes so generated names never look like XXBT/ZUSD.
            if (name[0] is 'X' or 'Z' || !taken.Add(name)) continue;
            names.Add(name);
        }
        return names;
    }
}
