namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>Binance error answers: body <c>{"code":..,"msg":..}</c>, codes and texts from binance-spot-api-docs
/// errors.md; HTTP statuses as observed (FACTS.md §1: -2014/-2015 → 401, other 1xxx request errors → 400).</summary>
internal sealed record BinanceError(int Status, int Code, string Msg)
{
    public static readonly BinanceError ApiKeyFormat = new(401, -2014, "API-key format invalid.");
    public static readonly BinanceError RejectedKey = new(401, -2015, "Invalid API-key, IP, or permissions for action.");
    public static readonly BinanceError InvalidSignature = new(400, -1022, "Signature for this request is not valid.");
    public static readonly BinanceError OutsideRecvWindow = new(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    public static readonly BinanceError AheadOfServer = new(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    public static readonly BinanceError BadRecvWindow = new(400, -1131, "recvWindow must be less than 60000");
    public static readonly BinanceError InvalidSymbol = new(400, -1121, "Invalid symbol.");
    public static readonly BinanceError BadCombination = new(400, -1128, "Combination of optional parameters invalid.");
    public static readonly BinanceError ServiceUnavailable = new(503, -1016, "This service is no longer available.");
    public static readonly BinanceError Internal = new(500, -1001, "Internal error; unable to process your request. Please try again.");

    public static readonly BinanceError DuplicateParameter = new(400, -1101, "Duplicate values for a parameter detected.");

    public static BinanceError UnreadParameters(int read, int sent) =>
        new(400, -1104, $"Not all sent parameters were read; read '{read}' parameter(s) but was sent '{sent}'.");

    public static BinanceError Mandatory(string parameter) =>
        new(400, -1102, $"Mandatory parameter '{parameter}' was not sent, was empty/null, or malformed.");

    public static BinanceError EitherMandatory(string a, string b) =>
        new(400, -1102, $"Param '{a}' or '{b}' must be sent, but both were empty/null!");

    public static BinanceError IllegalChars(string parameter, string legal) =>
        new(400, -1100, $"Illegal characters found in parameter '{parameter}'; legal range is '{legal}'.");

    public static BinanceError InvalidParameter(string parameter) =>
        new(400, -1130, $"Data sent for parameter '{parameter}' is not valid.");

    public static BinanceError MoreThanHours(int hours) =>
        new(400, -1127, $"More than {hours} hours between startTime and endTime.");

    public static BinanceError TooMuchWeight(int limit) =>
        new(429, -1003, $"Too much request weight used; current limit is {limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.");

    public static BinanceError IpBanned(long untilMs) =>
        new(418, -1003, $"Way too much request weight used; IP banned until {untilMs}. Please use WebSocket Streams for live updates to avoid bans.");
}

internal sealed class BinanceException(BinanceError error) : Exception(error.Msg)
{
    public BinanceError Error { get; } = error;
}
