using Bitcain.Contracts.Market;

namespace Bitcain.Gateway.Api;

public sealed record SupportedExchangeResponse(string Id, string Name, bool RequiresPassphrase, IReadOnlyList<string> Features, IReadOnlyList<string> Aliases);

public sealed record SupportedExchangesResponse(IReadOnlyList<SupportedExchangeResponse> Exchanges, int Count)
{
    public static SupportedExchangesResponse From(SupportedExchanges r) =>
        new(r.Exchanges.Select(e => new SupportedExchangeResponse(e.Id, e.Name, e.RequiresPassphrase, e.Features, e.Aliases)).ToList(), r.Exchanges.Count);
}

public static class ExchangeEndpoints
{
    public static void MapExchangeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/supported", GetSupported).WithName("get_supported_exchanges").WithSummary("Get Supported Exchanges");
    }

    private static async Task<Results<Ok<SupportedExchangesResponse>, JsonHttpResult<ErrorDetail>>> GetSupported(ServiceCalls calls, CancellationToken ct)
    {
        var answer = await calls.QueryAsync<SupportedExchanges>("market", null, new GetSupportedExchanges(), ct);
        return answer.Ok(SupportedExchangesResponse.From);
    }
}
