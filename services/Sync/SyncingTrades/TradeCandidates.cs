using Bitcain.Exchanges;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// Which markets a symbol-less trade sync walks where the exchange answers per market (Binance, Binance.US).
/// Every trade spends one of its market's two assets, and every asset an account ever had came from a deposit, a trade,
/// a conversion, or is still listed among its balances. So starting from the assets the exchange names (balances, zero
/// ones included; deposit, withdrawal, fiat and dust history) and walking every market that trades one of them, each
/// market where trades turn up adds its other asset, until nothing new turns up: that reaches every trade. Where the
/// exchange could not name them all, nothing narrows the walk: it takes every listed market.
/// </summary>
public static class TradeCandidates
{
    public sealed record Plan(IReadOnlyList<string> Markets, IReadOnlySet<string> KnownAssets);

    /// <param name="activity">null: the exchange offers no account history, so every listed market is walked.</param>
    /// <param name="stored">Symbols the account already has trades stored for (walked first: they resume where they stopped).</param>
    public static Plan Initial(IReadOnlyList<Market> markets, AccountActivity? activity, IEnumerable<string> stored)
    {
        var storedSet = stored.ToHashSet(StringComparer.Ordinal);
        var known = new HashSet<string>(activity?.Assets ?? new HashSet<string>(), StringComparer.Ordinal);
        foreach (var m in markets.Where(m => storedSet.Contains(m.Symbol)))
        {
            known.Add(m.Base);
            known.Add(m.Quote);
        }
        var narrow = activity is { Complete: true };
        var chosen = markets
            .Where(m => !narrow || storedSet.Contains(m.Symbol) || known.Contains(m.Base) || known.Contains(m.Quote))
            .OrderBy(m => storedSet.Contains(m.Symbol) ? 0 : 1).ThenBy(m => m.Symbol, StringComparer.Ordinal)
            .Select(m => m.Symbol).Distinct().ToList();
        return new Plan(chosen, known);
    }

    /// <summary>The markets that trades found on <paramref name="traded"/> open: those trading one of its assets that the
    /// account was not yet known to have had, and that are not planned already.</summary>
    public static (IReadOnlyList<string> Markets, IReadOnlyList<string> Assets) Opened(IReadOnlyList<Market> markets, Market traded,
        IReadOnlySet<string> known, IReadOnlySet<string> planned)
    {
        var fresh = new[] { traded.Base, traded.Quote }.Where(a => !known.Contains(a)).Distinct().ToList();
        if (fresh.Count == 0) return ([], []);
        var opened = markets.Where(m => (fresh.Contains(m.Base) || fresh.Contains(m.Quote)) && !planned.Contains(m.Symbol))
            .Select(m => m.Symbol).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        return (opened, fresh);
    }
}
