using System.Text.Json;
using Bitcain.Exchanges.Http;

namespace Bitcain.Exchanges;

internal static class ResponseParsing
{
    /// <summary>Runs a pure parser over an exchange's answer; whatever goes wrong reading it is that exchange's
    /// <c>malformed_response</c>, never an untyped exception that could take a caller's other exchanges down with it.</summary>
    public static T Parse<T>(string exchange, Func<string, T> parse, ExchangeResponse response) =>
        Read(exchange, response.Path, () => parse(response.Body), response.StatusCode);

    /// <summary><see cref="Parse{T}(string, Func{string, T}, ExchangeResponse)"/> for a parser that reads the body's UTF-8 bytes.</summary>
    public static T ParseUtf8<T>(string exchange, Func<ReadOnlyMemory<byte>, T> parse, ExchangeResponse response) =>
        Read(exchange, response.Path, () => parse(response.Utf8Body), response.StatusCode);

    /// <summary>Reads something out of an answer (a body, an error body, a header), turning any failure into
    /// <c>malformed_response</c> on <paramref name="path"/>.</summary>
    public static T Read<T>(string exchange, string path, Func<T> read, int? status = null)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not (ExchangeException or OperationCanceledException))
        {
            throw ExchangeException.Malformed(exchange, path, Problem(e), status);
        }
    }

    /// <summary>What kind of problem, from the exception's type only: exception messages may quote the body.</summary>
    internal static string Problem(Exception e) => e switch
    {
        JsonException => "not the JSON expected",
        InvalidOperationException => "a value of the wrong JSON type",
        KeyNotFoundException => "a field is missing",
        IndexOutOfRangeException or ArgumentOutOfRangeException => "a value or position out of range",
        OverflowException => "a number out of range",
        FormatException => "a value that does not parse",
        NullReferenceException or ArgumentNullException => "a field is missing or null",
        _ => $"unreadable ({e.GetType().Name})",
    };
}
