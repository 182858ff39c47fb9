using Bitcain.Contracts.Market;
using Bitcain.Exchanges;

namespace Bitcain.Market.SupportedExchanges;

public static class GetSupportedExchangesHandler
{
    public static Contracts.Market.SupportedExchanges Handle(GetSupportedExchanges _) =>
        new(ExchangeCatalog.All
            .Select(e => new SupportedExchange(e.Id, e.Name, e.RequiresPassphrase, ExchangeCapabilityNames.Of(e.Capabilities), e.Aliases))
            .ToList());
}
