using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Market.Markets;

namespace Bitcain.Market.Tickers;

public static class GetTickerHandler
{
    public static async Task<TickerReply> Handle(GetTicker query, IExchangeClients clients, MarketSnapshots markets, TickerCache tickers)
    {
        if (!clients.TryGet(query.Exchange, out var client)) return new TickerReply(null, ExchangeFailures.NoClient(query.Exchange));
        try
        {
            // The symbol is resolved against the cached market list: an unknown one is a 404 without asking the exchange.
            var set = (await markets.GetAsync(client)).Value;
            var market = set.Find(query.Symbol);
            if (market is null)
                return new TickerReply(null, new MarketFailure(StatusCodes.Status404NotFound, $"Symbol '{query.Symbol}' is not listed on {client.Exchange}"));

            var t = (await tickers.GetAsync(client, market.Symbol)).Value;
            return new TickerReply(new TickerInfo(client.Exchange, market.Symbol, market.ExchangeSymbol, t.Bid, t.Ask, t.Last, t.Open, t.High, t.Low,
                t.BaseVolume, t.QuoteVolume, t.Change, t.ChangePercent, t.Timestamp), null);
        }
        catch (ExchangeException e) when (e is { ErrorType: ExchangeErrorType.InvalidRequest, ExchangeCode: "unknown_symbol" })
        {
            return new TickerReply(null, new MarketFailure(StatusCodes.Status404NotFound, $"Symbol '{query.Symbol}' is not listed on {client.Exchange}"));
        }
        catch (ExchangeException e)
        {
            return new TickerReply(null, ExchangeFailures.Of(e));
        }
    }
}
