namespace Bitcain.ExchangeSimulator.Kraken;

/// <summary>Kraken's asset codes: the legacy X/Z-prefixed names for the oldest assets (XXBT, XETH, ZUSD) and plain
/// names for the rest; XBT is BTC and XDG is DOGE (FACTS.md §3, Kraken get-account-balance docs).</summary>
internal static class KrakenAssets
{
    private static readonly Dictionary<string, string> LegacyCodes = new(StringComparer.Ordinal)
    {
        ["BTC"] = "XXBT", ["ETH"] = "XETH", ["LTC"] = "XLTC", ["XRP"] = "XXRP", ["XLM"] = "XXLM", ["ETC"] = "XETC",
        ["XMR"] = "XXMR", ["ZEC"] = "XZEC", ["DOGE"] = "XXDG", ["USD"] = "ZUSD", ["EUR"] = "ZEUR", ["GBP"] = "ZGBP",
        ["CAD"] = "ZCAD", ["JPY"] = "ZJPY", ["AUD"] = "ZAUD",
    };

    private static readonly Dictionary<string, string> AltNames = new(StringComparer.Ordinal) { ["BTC"] = "XBT", ["DOGE"] = "XDG" };

    private static readonly HashSet<string> FiatCodes = ["ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "ZAUD", "CHF"];

    /// <summary>The asset's code in Balance and AssetPairs.base/quote (XXBT, ZUSD, SOL).</summary>
    public static string Code(string asset) => LegacyCodes.TryGetValue(asset, out var code) ? code : asset;

    /// <summary>The common code of a Kraken code (XXBT → BTC, ZUSD → USD); other codes (SOL, DOT.S) are their own.</summary>
    public static string CommonCode(string code) => LegacyCodes.FirstOrDefault(c => c.Value == code).Key ?? code;

    /// <summary>The asset's alternate name used inside altname and wsname (XBT, USD, SOL).</summary>
    public static string AltName(string asset) => AltNames.TryGetValue(asset, out var alt) ? alt : asset;

    public static bool IsLegacy(string asset) => LegacyCodes.ContainsKey(asset);

    public static bool IsFiat(string code) => FiatCodes.Contains(code);

    /// <summary>Balances show fiat to 4 decimals and crypto to 10, as Kraken's Balance does.</summary>
    public static int BalanceDecimals(string code) => IsFiat(code) ? 4 : 10;
}
