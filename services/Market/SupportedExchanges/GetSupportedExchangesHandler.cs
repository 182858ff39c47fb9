using Bitcain.Contracts.Market;
using Bitcain.Exchanges;

namespace Bitcain.Market.SupportedExchanges;

public static class GetSupportedExchangesHandler
{
    /// <summary>Features are what this deployment's client for the exchange can do: none until a client exists.</summary>
    public static Contracts.Market.SupportedExchanges Handle(GetSupportedExchanges _, IExchangeClients clients) =>
        new(ExchangeCatalog.All
            .Select(e => new SupportedExchange(e.Id, e.Name, e.RequiresPassphrase,
                clients.TryGet(e.Id, out var client) ? ExchangeCapabilityNames.Of(client.Capabilities) : [],
                e.Aliases))
            .ToList());
}
