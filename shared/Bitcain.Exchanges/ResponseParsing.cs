using System.Text.Json;

namespace Bitcain.Exchanges;

internal static class ResponseParsing
{
    /// <summary>
    /// Runs a pure parser over an exchange's answer; an answer it cannot read is the contract's <c>exchange_error</c>
    /// (code <c>malformed_response</c>), naming only the exception type: the body may echo request details.
    /// </summary>
    public static T Parse<T>(string exchange, Func<string, T> parse, string body)
    {
        try
        {
            return parse(body);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or OverflowException)
        {
            throw new ExchangeException(exchange, ExchangeErrorType.ExchangeError, $"{exchange}: unreadable response ({e.GetType().Name})", "malformed_response");
        }
    }
}
