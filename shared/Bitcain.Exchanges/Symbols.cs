using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Bitcain.Exchanges;

/// <summary>Exchange asset codes to the common codes users and ccxt know.</summary>
public static class AssetCodes
{
    // Kraken's legacy X/Z-prefixed codes and its XBT/XDG names, as ccxt's kraken.safeCurrencyCode and
    // commonCurrencies map them. An explicit list, because newer Kraken assets may legitimately start with X or Z.
    private static readonly Dictionary<string, string> Kraken = new(StringComparer.OrdinalIgnoreCase)
    {
        ["XXBT"] = "BTC", ["XBT"] = "BTC", ["XXDG"] = "DOGE", ["XDG"] = "DOGE",
        ["XETH"] = "ETH", ["XETC"] = "ETC", ["XLTC"] = "LTC", ["XMLN"] = "MLN", ["XREP"] = "REP",
        ["XXLM"] = "XLM", ["XXMR"] = "XMR", ["XXRP"] = "XRP", ["XZEC"] = "ZEC", ["XICN"] = "ICN",
        ["XNMC"] = "NMC", ["XXVN"] = "XVN", ["XDAO"] = "DAO",
        ["ZUSD"] = "USD", ["ZEUR"] = "EUR", ["ZGBP"] = "GBP", ["ZCAD"] = "CAD", ["ZJPY"] = "JPY",
        ["ZAUD"] = "AUD", ["ZCHF"] = "CHF", ["ZKRW"] = "KRW",
    };

    /// <summary>The reverse direction for building Kraken pair names from what a user typed.</summary>
    private static readonly Dictionary<string, string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        ["XBT"] = "BTC", ["XDG"] = "DOGE",
    };

    public static string Normalize(string exchange, string code)
    {
        code = code.Trim().ToUpperInvariant();
        if (exchange != "kraken") return code;
        // Kraken suffixes (.S staked, .M opt-in rewards, .F auto-earn, .B, .T tokenized) are kept: they are other balances.
        var dot = code.IndexOf('.');
        var (asset, suffix) = dot > 0 ? (code[..dot], code[dot..]) : (code, "");
        return (Kraken.TryGetValue(asset, out var common) ? common : asset) + suffix;
    }

    // Codes the byte parsers have already made a string of. Bounded: a hostile payload full of distinct codes only
    // stops the table growing, it never grows it without limit.
    private const int MaxInterned = 8192;
    private static readonly ConcurrentDictionary<string, string> InternedCodes = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> InternedBySpan =
        InternedCodes.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int _interned;

    /// <summary>
    /// <see cref="Normalize"/> for a code already trimmed and upper-cased by the caller, as one shared string per code.
    /// </summary>
    internal static string Interned(string exchange, ReadOnlySpan<char> trimmedUpper)
    {
        if (exchange == "kraken") return Normalize(exchange, trimmedUpper.ToString());
        if (InternedBySpan.TryGetValue(trimmedUpper, out var known)) return known;
        var code = trimmedUpper.ToString();
        if (Volatile.Read(ref _interned) < MaxInterned && InternedCodes.TryAdd(code, code)) Interlocked.Increment(ref _interned);
        return code;
    }

    /// <summary>Normalizes a code a user typed (<c>xbt</c> is Bitcoin wherever it is typed).</summary>
    public static string FromUser(string code)
    {
        code = code.Trim().ToUpperInvariant();
        return Common.TryGetValue(code, out var common) ? common : code;
    }
}

/// <summary>A unified symbol <c>BASE/QUOTE</c>.</summary>
public readonly record struct UnifiedSymbol(string Base, string Quote)
{
    public override string ToString() => $"{Base}/{Quote}";
}

public static class SymbolParser
{
    private static readonly char[] Separators = ['/', '-', '_', ':'];

    /// <summary>
    /// Reads <c>BTC/USDT</c>, <c>BTC-USDT</c>, <c>btc_usdt</c> directly, and <c>BTCUSDT</c> (or an exchange id such
    /// as <c>XXBTZUSD</c>) by finding it in <paramref name="markets"/>: without a separator the split is ambiguous.
    /// </summary>
    public static bool TryParse(string? input, IEnumerable<Market>? markets, [NotNullWhen(true)] out UnifiedSymbol? symbol)
    {
        symbol = null;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var text = input.Trim();
        var parts = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 2)
        {
            symbol = new UnifiedSymbol(AssetCodes.FromUser(parts[0]), AssetCodes.FromUser(parts[1]));
            return true;
        }
        if (parts.Length != 1 || markets is null) return false;
        var market = markets.FirstOrDefault(m => string.Equals(m.ExchangeSymbol, text, StringComparison.OrdinalIgnoreCase))
                     ?? markets.FirstOrDefault(m => string.Equals(m.Base + m.Quote, text, StringComparison.OrdinalIgnoreCase));
        if (market is null) return false;
        symbol = new UnifiedSymbol(market.Base, market.Quote);
        return true;
    }

    /// <summary>Finds the market a user meant, however they wrote it.</summary>
    public static Market? FindMarket(string? input, IReadOnlyCollection<Market> markets)
    {
        if (!TryParse(input, markets, out var symbol)) return null;
        var unified = symbol.Value.ToString();
        return markets.FirstOrDefault(m => m.Symbol == unified);
    }
}
