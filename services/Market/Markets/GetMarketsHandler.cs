using Bitcain.Contracts.Market;
using Bitcain.Exchanges;

namespace Bitcain.Market.Markets;

public static class GetMarketsHandler
{
    public static async Task<MarketList> Handle(GetMarkets query, IExchangeClients clients, MarketSnapshots snapshots)
    {
        if (!clients.TryGet(query.Exchange, out var client))
            return new MarketList(query.Exchange, [], null, ExchangeFailures.NoClient(query.Exchange));
        try
        {
            var markets = await snapshots.GetAsync(client);
            return new MarketList(client.Exchange, markets.Value.Markets.Select(ToInfo).ToList(), markets.FetchedAt, null);
        }
        catch (ExchangeException e)
        {
            return new MarketList(client.Exchange, [], null, ExchangeFailures.Of(e));
        }
    }

    public static MarketInfo ToInfo(Bitcain.Exchanges.Market m) => new(
        m.Symbol, m.ExchangeSymbol, m.Base, m.Quote, m.Active,
        new MarketPrecisionInfo(m.Precision.Amount, m.Precision.Price),
        new MarketLimitsInfo(Range(m.Limits.Amount), Range(m.Limits.Cost), Range(m.Limits.Price)),
        m.Maker, m.Taker);

    private static MarketLimitsRange Range(MinMax r) => new(r.Min, r.Max);
}
