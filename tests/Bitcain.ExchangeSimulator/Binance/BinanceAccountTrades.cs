namespace Bitcain.ExchangeSimulator
{
    /// <summary>A trade as the simulator holds it, for tests that compare what a client stored with the truth.</summary>
    public sealed record SimulatedTrade(string Symbol, long Id, long OrderId, long TimeMs, decimal Price, decimal Qty, decimal QuoteQty, bool IsBuyer);
}

namespace Bitcain.ExchangeSimulator.Binance
{
    /// <summary>The admin side of an account's trades: read the whole history, or add trades at run time.</summary>
    internal sealed partial class BinanceExchange
    {
        /// <summary>Null when the account does not exist; trades in symbol then id order.</summary>
        public IReadOnlyList<SimulatedTrade>? TradesOf(string accountName, string? symbol = null)
        {
            var account = _venue.Accounts.FirstOrDefault(a => a.Key.Name == accountName);
            if (account is null) return null;
            var trades = new List<SimulatedTrade>();
            foreach (var series in account.Trades.Values.OrderBy(s => s.Symbol.Symbol, StringComparer.Ordinal))
            {
                if (symbol is not null && series.Symbol.Symbol != symbol) continue;
                for (var k = 0; k < series.Count; k++)
                {
                    var t = series.At(k);
                    trades.Add(new SimulatedTrade(t.Symbol, t.Id, t.OrderId, t.Time, t.Price, t.Qty, t.QuoteQty, t.IsBuyer));
                }
            }
            return trades;
        }

        /// <summary>Appends trades on a listed symbol; the error says what was wrong, for the admin answer.</summary>
        public (IReadOnlyList<SimulatedTrade> Added, string? Error) AddTrades(string accountName, string symbol, int count)
        {
            var account = _venue.Accounts.FirstOrDefault(a => a.Key.Name == accountName);
            if (account is null) return ([], $"no account '{accountName}' on '{Name}'");
            if (!_venue.Markets.BySymbol.TryGetValue(symbol, out var listed)) return ([], $"'{symbol}' is not listed on '{Name}'");
            if (count is < 1 or > 100_000) return ([], "count must be between 1 and 100000");
            var series = account.AddTrades(listed, count, _options.Time.GetUtcNow());
            var added = new List<SimulatedTrade>(count);
            for (var k = series.Count - count; k < series.Count; k++)
            {
                var t = series.At(k);
                added.Add(new SimulatedTrade(t.Symbol, t.Id, t.OrderId, t.Time, t.Price, t.Qty, t.QuoteQty, t.IsBuyer));
            }
            return (added, null);
        }
    }
}
