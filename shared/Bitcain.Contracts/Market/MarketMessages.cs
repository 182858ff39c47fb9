using Wolverine.Attributes;

namespace Bitcain.Contracts.Market;

[MessageIdentity("bitcain.market.get-supported-exchanges.v1")]
public sealed record GetSupportedExchanges : IMarketQuery;

public sealed record SupportedExchange(
    string Id,
    string Name,
    bool RequiresPassphrase,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Aliases);

[MessageIdentity("bitcain.market.supported-exchanges.v1")]
public sealed record SupportedExchanges(IReadOnlyList<SupportedExchange> Exchanges) : IServiceReply;
