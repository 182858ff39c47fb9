using Bitcain.Contracts.Market;
using Bitcain.Exchanges;

namespace Bitcain.Market.Markets;

/// <summary>The contract's answer when an exchange failed and nothing cached could stand in: never a 500.</summary>
public static class ExchangeFailures
{
    public static MarketFailure Of(ExchangeException e)
    {
        var exchange = e.Exchange;
        return e.ErrorType switch
        {
            ExchangeErrorType.NetworkError when e.Message.Contains("timed out", StringComparison.OrdinalIgnoreCase) =>
                new(StatusCodes.Status504GatewayTimeout, $"{exchange} did not answer in time; try again shortly"),
            ExchangeErrorType.NetworkError => new(StatusCodes.Status503ServiceUnavailable, $"{exchange} cannot be reached right now; try again shortly"),
            ExchangeErrorType.ExchangeUnavailable => new(StatusCodes.Status503ServiceUnavailable, $"{exchange} is unavailable (maintenance or outage); try again later"),
            ExchangeErrorType.RateLimited => new(StatusCodes.Status503ServiceUnavailable,
                $"{exchange} is rate limiting Bitcain; try again in a moment", (int)Math.Ceiling((e.RetryAfter ?? TimeSpan.FromSeconds(5)).TotalSeconds)),
            _ => new(StatusCodes.Status502BadGateway, $"{exchange} answered with an error ({e.ErrorTypeName})"),
        };
    }

    public static MarketFailure NoClient(string exchange) =>
        new(StatusCodes.Status400BadRequest, $"{exchange} is not supported yet: Bitcain has no client for it");

    public const string NoClientError = "no client for this exchange yet";
}
