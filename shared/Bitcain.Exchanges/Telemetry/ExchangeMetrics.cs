using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bitcain.Exchanges.Telemetry;

/// <summary>
/// What an operator asks first about the exchanges: which one fails, how, how slow it is, and how much time our own
/// rate budgets make callers wait. Tags are low-cardinality only (exchange id, operation name, outcome, budget type):
/// never a key, a user, a symbol or a URL.
/// </summary>
public static class ExchangeMetrics
{
    public const string MeterName = "Bitcain.Exchanges";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "bitcain.exchange.calls", "{call}", "Operations asked of an exchange client, by exchange, operation and outcome");

    // Buckets from a fast public ticker (~10 ms) to the 10 s default timeout and a long trade page.
    private static readonly Histogram<double> CallDuration = Meter.CreateHistogram(
        "bitcain.exchange.call.duration", "s", "How long an exchange client operation took, retries and rate-limit waits included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "bitcain.exchange.rate_limit.refusals", "{response}", "HTTP 429 (and Binance's 418) answers received from an exchange");

    private static readonly Histogram<double> BudgetWait = Meter.CreateHistogram(
        "bitcain.exchange.rate_limit.wait.duration", "s", "Time a call waited for room in our own rate budget before it was sent",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    /// <summary>The outcome tag: <c>ok</c>, or the failure's kind in a few stable words.</summary>
    public static string OutcomeOf(Exception? failure) => failure switch
    {
        null => "ok",
        ExchangeException e => e.ErrorType switch
        {
            ExchangeErrorType.AuthError => "auth",
            ExchangeErrorType.PermissionDenied => "permission_denied",
            ExchangeErrorType.RateLimited => "rate_limited",
            ExchangeErrorType.NetworkError => "network",
            ExchangeErrorType.ExchangeUnavailable => "unavailable",
            ExchangeErrorType.InvalidRequest => "invalid_request",
            ExchangeErrorType.MalformedResponse => "malformed_response",
            _ => "exchange_error",
        },
        OperationCanceledException => "cancelled",
        _ => "error",
    };

    internal static void RecordCall(string exchange, string operation, Exception? failure, TimeSpan took)
    {
        var tags = new TagList { { "exchange", exchange }, { "operation", operation }, { "outcome", OutcomeOf(failure) } };
        Calls.Add(1, tags);
        CallDuration.Record(took.TotalSeconds, tags);
    }

    internal static void RecordRefusal(string exchange, int status) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("exchange", exchange), new KeyValuePair<string, object?>("http.response.status_code", status));

    internal static void RecordBudgetWait(string? exchange, string? budget, TimeSpan waited) =>
        BudgetWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("exchange", exchange), new KeyValuePair<string, object?>("budget", budget));
}
