using Bitcain.Contracts;
using Bitcain.Contracts.Market;
using Bitcain.Gateway.Http;
using Bitcain.ServiceDefaults.ServiceQueries;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Gateway.Api;

public sealed record SupportedExchangeResponse(string Id, string Name, bool RequiresPassphrase, IReadOnlyList<string> Features, IReadOnlyList<string> Aliases);

public sealed record SupportedExchangesResponse(IReadOnlyList<SupportedExchangeResponse> Exchanges, int Count);

public static class ExchangeEndpoints
{
    public static void MapExchangeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/supported", GetSupported).WithName("get_supported_exchanges").WithSummary("Get Supported Exchanges");
    }

    private static async Task<Results<Ok<SupportedExchangesResponse>, JsonHttpResult<ErrorDetail>>> GetSupported(ServiceCalls calls, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<SupportedExchanges>("market", null, new GetSupportedExchanges(), ct);
        if (!answer.Answered) return answer.Refusal();
        var exchanges = answer.Reply!.Exchanges
            .Select(e => new SupportedExchangeResponse(e.Id, e.Name, e.RequiresPassphrase, e.Features, e.Aliases))
            .ToList();
        return TypedResults.Ok(new SupportedExchangesResponse(exchanges, exchanges.Count));
    }
}
