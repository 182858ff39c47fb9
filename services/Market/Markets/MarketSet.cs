using Bitcain.Exchanges;

namespace Bitcain.Market.Markets;

/// <summary>One exchange's markets, indexed once per fetch so that every spelling of a symbol resolves in O(1).</summary>
public sealed class MarketSet
{
    private readonly Dictionary<string, Bitcain.Exchanges.Market> _byUnified = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Bitcain.Exchanges.Market> _byExchangeSymbol = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Bitcain.Exchanges.Market> _byConcatenation = new(StringComparer.OrdinalIgnoreCase);

    public MarketSet(string exchange, IReadOnlyList<Bitcain.Exchanges.Market> markets)
    {
        Exchange = exchange;
        Markets = markets;
        foreach (var m in markets)
        {
            _byUnified.TryAdd(m.Symbol, m);
            _byExchangeSymbol.TryAdd(m.ExchangeSymbol, m);
            _byConcatenation.TryAdd(m.Base + m.Quote, m);
        }
    }

    public string Exchange { get; }
    public IReadOnlyList<Bitcain.Exchanges.Market> Markets { get; }

    /// <summary><c>BTC/USDT</c>, <c>BTC-USDT</c>, <c>btc_usdt</c>, <c>BTCUSDT</c> or the exchange's own id (<c>XXBTZUSD</c>).</summary>
    public Bitcain.Exchanges.Market? Find(string input)
    {
        var text = input.Trim();
        if (_byExchangeSymbol.TryGetValue(text, out var own)) return own;
        if (SymbolParser.TryParse(text, null, out var symbol))
            return _byUnified.GetValueOrDefault(symbol.Value.ToString());
        return _byConcatenation.GetValueOrDefault(text);
    }
}
