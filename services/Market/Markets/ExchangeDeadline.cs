using Bitcain.Exchanges;

namespace Bitcain.Market.Markets;

/// <summary>
/// How long the market service waits for one exchange call, its rate limiter's wait included: shorter than the
/// gateway's patience, so a slow or backed-off exchange becomes a clear 504 from here rather than a silent timeout
/// (configuration <c>Market:ExchangeDeadlineSeconds</c>, default 4).
/// </summary>
public sealed class ExchangeDeadline(TimeSpan limit)
{
    public TimeSpan Limit { get; } = limit;

    public static ExchangeDeadline From(IConfiguration configuration) =>
        new(TimeSpan.FromSeconds(configuration.GetValue<double?>("Market:ExchangeDeadlineSeconds") is { } s and > 0 ? s : 4));

    public async Task<T> RunAsync<T>(string exchange, Func<CancellationToken, Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(Limit);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new ExchangeException(exchange, ExchangeErrorType.NetworkError,
                $"{exchange}: timed out after {Limit.TotalSeconds:0.#}s (the exchange or its rate limit kept us waiting)");
        }
    }
}
