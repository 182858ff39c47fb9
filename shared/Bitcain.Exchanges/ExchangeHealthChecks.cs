namespace Bitcain.Exchanges;

/// <summary>The two ways the newer clients judge an exchange's health, timed with the injected clock.</summary>
public static class ExchangeHealthChecks
{
    /// <summary>
    /// One exchange's health for a report on many: a failure is always typed and names this exchange alone (an
    /// unexpected exception becomes its <c>malformed_response</c>), so one bad answer never fails the others' report.
    /// </summary>
    public static async Task<ExchangeHealth> CheckAsync(IExchangeClient client, CancellationToken ct)
    {
        try
        {
            return await client.GetHealthAsync(ct);
        }
        catch (Exception e) when (e is not (ExchangeException or OperationCanceledException))
        {
            throw ExchangeException.Malformed(client.Exchange, "health check", ResponseParsing.Problem(e));
        }
    }

    /// <summary>Exchanges without a status call (Bybit, Gate.io): the clock answering is normal, an unavailable
    /// answer (5xx, the exchange's server error codes) is maintenance.</summary>
    public static async Task<ExchangeHealth> ByClockAsync(TimeProvider time, Func<CancellationToken, Task<DateTimeOffset>> serverTime, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        try
        {
            var at = await serverTime(ct);
            return new ExchangeHealth(ExchangeSystemStatus.Normal, null, at, time.GetElapsedTime(started));
        }
        catch (ExchangeException e) when (e.ErrorType == ExchangeErrorType.ExchangeUnavailable)
        {
            return new ExchangeHealth(ExchangeSystemStatus.Maintenance, e.ExchangeMessage, null, time.GetElapsedTime(started));
        }
    }

    /// <summary>Exchanges with a status call (OKX, KuCoin): the status first, timed; then the clock, which may not
    /// answer while the exchange is not normal.</summary>
    public static async Task<ExchangeHealth> ByStatusThenClockAsync(TimeProvider time,
        Func<CancellationToken, Task<(ExchangeSystemStatus Status, string? Message)>> systemStatus,
        Func<CancellationToken, Task<DateTimeOffset>> serverTime, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        ExchangeSystemStatus status;
        string? message;
        try
        {
            (status, message) = await systemStatus(ct);
        }
        catch (ExchangeException e) when (e.ErrorType == ExchangeErrorType.ExchangeUnavailable)
        {
            (status, message) = (ExchangeSystemStatus.Maintenance, e.ExchangeMessage);
        }
        var latency = time.GetElapsedTime(started);
        DateTimeOffset? at;
        try
        {
            at = await serverTime(ct);
        }
        catch (ExchangeException) when (status != ExchangeSystemStatus.Normal)
        {
            at = null;
        }
        return new ExchangeHealth(status, message, at, latency);
    }
}
