namespace Bitcain.Exchanges;

public static class MarketLookup
{
    /// <summary>The market a user's symbol names (any form <see cref="SymbolParser"/> reads), or the contract's
    /// unknown-symbol error (<c>invalid_request</c>, code <c>unknown_symbol</c>: a 404 at the gateway).</summary>
    public static Market Require(string exchange, string symbol, IReadOnlyList<Market> markets) =>
        SymbolParser.FindMarket(symbol, markets)
        ?? throw new ExchangeException(exchange, ExchangeErrorType.InvalidRequest, $"{exchange}: unknown symbol {symbol}", "unknown_symbol");
}
