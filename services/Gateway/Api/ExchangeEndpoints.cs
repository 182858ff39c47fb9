using Bitcain.Contracts;
using Bitcain.Contracts.Market;
using Bitcain.Gateway.Http;
using Bitcain.Gateway.Messaging;
using Bitcain.Gateway.OpenApi;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Gateway.Api;

public sealed record SupportedExchangeResponse(string Id, string Name, bool RequiresPassphrase, IReadOnlyList<string> Features, IReadOnlyList<string> Aliases);

public sealed record SupportedExchangesResponse(IReadOnlyList<SupportedExchangeResponse> Exchanges, int Count);

public static class ExchangeEndpoints
{
    public static void MapExchangeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDocumented(new("GET", "/api/exchange/supported", "get_supported_exchanges", "Get Supported Exchanges", "Exchange",
            typeof(SupportedExchangesResponse)), GetSupported);
    }

    private static async Task<IResult> GetSupported(ServiceCalls calls, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<SupportedExchanges>("market", null, new GetSupportedExchanges(), ct);
        if (!answer.Answered) return answer.Failure!;
        var exchanges = answer.Reply!.Exchanges
            .Select(e => new SupportedExchangeResponse(e.Id, e.Name, e.RequiresPassphrase, e.Features, e.Aliases))
            .ToList();
        return ApiResults.Ok(new SupportedExchangesResponse(exchanges, exchanges.Count));
    }
}
