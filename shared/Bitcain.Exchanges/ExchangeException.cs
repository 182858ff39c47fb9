namespace Bitcain.Exchanges;

/// <summary>The contract's <c>error_type</c> values for an exchange failure (no_credentials is the services' own).</summary>
public enum ExchangeErrorType
{
    AuthError,
    PermissionDenied,
    RateLimited,
    NetworkError,
    ExchangeUnavailable,
    InvalidRequest,
    ExchangeError,
    /// <summary>The exchange answered, but not in the shape its documents promise (wrong JSON type, missing field,
    /// out-of-range number, oversized body): nothing in it can be trusted.</summary>
    MalformedResponse,
}

public static class ExchangeErrorTypeNames
{
    public static string WireName(this ExchangeErrorType type) => type switch
    {
        ExchangeErrorType.AuthError => "auth_error",
        ExchangeErrorType.PermissionDenied => "permission_denied",
        ExchangeErrorType.RateLimited => "rate_limited",
        ExchangeErrorType.NetworkError => "network_error",
        ExchangeErrorType.ExchangeUnavailable => "exchange_unavailable",
        ExchangeErrorType.InvalidRequest => "invalid_request",
        ExchangeErrorType.MalformedResponse => "malformed_response",
        _ => "exchange_error",
    };
}

/// <summary>
/// A failure talking to an exchange, typed the way the contract reports it. The message is built only from
/// the exchange id, the request path (never the query, which carries Binance's signature) and the exchange's
/// own error code and text, scrubbed of the caller's key material.
/// </summary>
public sealed class ExchangeException(
    string exchange,
    ExchangeErrorType errorType,
    string message,
    string? exchangeCode = null,
    string? exchangeMessage = null,
    TimeSpan? retryAfter = null,
    int? httpStatus = null) : Exception(message)
{
    public string Exchange { get; } = exchange;
    public ExchangeErrorType ErrorType { get; } = errorType;
    public string ErrorTypeName => ErrorType.WireName();

    /// <summary>The exchange's own error code (Binance <c>-2015</c>, Kraken <c>EAPI:Invalid key</c>), when it sent one.</summary>
    public string? ExchangeCode { get; } = exchangeCode;
    public string? ExchangeMessage { get; } = exchangeMessage;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public int? HttpStatus { get; } = httpStatus;

    internal static string Describe(ExchangeErrorType type) => type switch
    {
        ExchangeErrorType.AuthError => "the API key or signature was rejected",
        ExchangeErrorType.PermissionDenied => "the API key lacks the permission",
        ExchangeErrorType.RateLimited => "rate limited",
        ExchangeErrorType.ExchangeUnavailable => "exchange unavailable",
        ExchangeErrorType.InvalidRequest => "invalid request",
        ExchangeErrorType.NetworkError => "network error",
        ExchangeErrorType.MalformedResponse => "malformed response",
        _ => "exchange error",
    };

    /// <summary>What an HTTP status says when the exchange sent no code of its own (its RFC 9110 meaning).</summary>
    internal static ExchangeErrorType ByHttpStatus(int status) => status switch
    {
        429 => ExchangeErrorType.RateLimited,
        401 => ExchangeErrorType.AuthError,
        403 => ExchangeErrorType.PermissionDenied,
        >= 500 => ExchangeErrorType.ExchangeUnavailable,
        400 or 404 or 405 => ExchangeErrorType.InvalidRequest,
        _ => ExchangeErrorType.ExchangeError,
    };

    /// <summary>A failure on <paramref name="path"/>, its message saying what kind and what the exchange said; only a rate
    /// limit carries the wait (the exchange's Retry-After, else its window).</summary>
    internal static ExchangeException On(string exchange, ExchangeErrorType type, string path, string detail, string? code, string? message,
        TimeSpan? wait, int status)
    {
        var limited = type == ExchangeErrorType.RateLimited ? wait : null;
        // A caller told only "rate limited" cannot tell a one-second pause from a ten-minute ban.
        var waitText = limited is { } w ? $" (the exchange asks to wait {Seconds(w)})" : "";
        return new(exchange, type, $"{exchange}: {Describe(type)} on {path}: {detail}{waitText}", code, message, limited, status);
    }

    private static string Seconds(TimeSpan wait) =>
        $"{Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)}s";

    /// <summary>An answer that could not be read. Only the kind of problem and the path are named: the body may echo the
    /// request (keys, signatures), and the query is never named (it carries Binance's signature).</summary>
    public static ExchangeException Malformed(string exchange, string path, string problem, int? status = null) =>
        new(exchange, ExchangeErrorType.MalformedResponse, $"{exchange}: {Describe(ExchangeErrorType.MalformedResponse)} on {path}: {problem}",
            null, null, null, status);

    public static ExchangeException Unsupported(string exchange, string operation) =>
        new(exchange, ExchangeErrorType.InvalidRequest, $"{exchange} does not support {operation}");
}
