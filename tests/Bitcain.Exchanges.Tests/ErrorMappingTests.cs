using Bitcain.Exchanges.Binance;
using Bitcain.Exchanges.Bitfinex;
using Bitcain.Exchanges.Coinbase;
using Bitcain.Exchanges.Kraken;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class ErrorMappingTests
{
    [Fact]
    public void error_types_carry_the_contracts_wire_names()
    {
        Enum.GetValues<ExchangeErrorType>().Select(t => t.WireName()).ShouldBe([
            "auth_error", "permission_denied", "rate_limited", "network_error", "exchange_unavailable", "invalid_request", "exchange_error", "malformed_response"]);
    }

    [Theory]
    [InlineData(401, """{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""", ExchangeErrorType.AuthError)]
    [InlineData(401, """{"code":-2014,"msg":"API-key format invalid."}""", ExchangeErrorType.AuthError)]
    [InlineData(400, """{"code":-2014,"msg":"API-key format invalid."}""", ExchangeErrorType.AuthError)]
    [InlineData(400, """{"code":-1022,"msg":"Signature for this request is not valid."}""", ExchangeErrorType.AuthError)]
    [InlineData(401, """{"code":-1002,"msg":"You are not authorized to execute this request."}""", ExchangeErrorType.PermissionDenied)]
    [InlineData(400, """{"code":-1121,"msg":"Invalid symbol."}""", ExchangeErrorType.InvalidRequest)]
    [InlineData(400, """{"code":-1102,"msg":"Mandatory parameter 'symbol' was not sent."}""", ExchangeErrorType.InvalidRequest)]
    [InlineData(400, """{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}""", ExchangeErrorType.InvalidRequest)]
    [InlineData(429, """{"code":-1003,"msg":"Too many requests."}""", ExchangeErrorType.RateLimited)]
    [InlineData(418, """{"code":-1003,"msg":"Way too many requests; IP banned."}""", ExchangeErrorType.RateLimited)]
    [InlineData(503, "<html>Service Unavailable</html>", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(500, """{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}""", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(403, "", ExchangeErrorType.PermissionDenied)]
    [InlineData(400, """{"code":-2010,"msg":"Account has insufficient balance for requested action."}""", ExchangeErrorType.ExchangeError)]
    public void binance_status_and_code_map_to_an_error_type(int status, string body, ExchangeErrorType expected) =>
        BinanceErrors.Map("binance", status, body, null, "/api/v3/account").ErrorType.ShouldBe(expected);

    [Fact]
    public void binance_keeps_its_own_code_and_message_and_the_retry_after()
    {
        var other = BinanceErrors.Map("binance", 400, """{"code":-2010,"msg":"Account has insufficient balance for requested action."}""", null, "/api/v3/order");
        (other.ExchangeCode, other.ExchangeMessage, other.HttpStatus).ShouldBe(("-2010", "Account has insufficient balance for requested action.", 400));
        other.Message.ShouldContain("-2010");
        var limited = BinanceErrors.Map("binance", 429, """{"code":-1003,"msg":"Too many requests."}""", TimeSpan.FromSeconds(7), "/api/v3/account");
        limited.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Theory]
    [InlineData("EAPI:Invalid key", ExchangeErrorType.AuthError)]
    [InlineData("EAPI:Invalid signature", ExchangeErrorType.AuthError)]
    [InlineData("EAPI:Invalid nonce", ExchangeErrorType.AuthError)]
    [InlineData("EGeneral:Permission denied", ExchangeErrorType.PermissionDenied)]
    [InlineData("EAPI:Rate limit exceeded", ExchangeErrorType.RateLimited)]
    [InlineData("EGeneral:Temporary lockout", ExchangeErrorType.RateLimited)]
    [InlineData("EService:Unavailable", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData("EService:Busy", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData("EGeneral:Invalid arguments:volume", ExchangeErrorType.InvalidRequest)]
    [InlineData("EQuery:Unknown asset pair", ExchangeErrorType.InvalidRequest)]
    [InlineData("EFunding:Insufficient funds", ExchangeErrorType.ExchangeError)]
    public void kraken_error_strings_map_to_an_error_type(string error, ExchangeErrorType expected)
    {
        var e = KrakenErrors.Find("kraken", 200, "{\"error\":[\"" + error + "\"],\"result\":{}}", null, "/0/private/Balance", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5))!;
        e.ErrorType.ShouldBe(expected);
        e.ExchangeMessage.ShouldBe(error);
    }

    [Fact]
    public void kraken_success_is_no_error_and_http_failures_without_a_body_map_by_status()
    {
        KrakenErrors.Find("kraken", 200, """{"error":[],"result":{"unixtime":1}}""", null, "/0/public/Time", DateTimeOffset.UnixEpoch, TimeSpan.Zero).ShouldBeNull();
        KrakenErrors.Find("kraken", 502, "<html>bad gateway</html>", null, "/0/public/Time", DateTimeOffset.UnixEpoch, TimeSpan.Zero)!
            .ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
        var limited = KrakenErrors.Find("kraken", 429, "", TimeSpan.FromSeconds(3), "/0/public/Time", DateTimeOffset.UnixEpoch, TimeSpan.Zero)!;
        (limited.ErrorType, limited.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void kraken_throttled_names_when_to_retry_and_plain_rate_limits_get_the_counter_decay_time()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        KrakenErrors.Find("kraken", 200, """{"error":["EService:Throttled: 1700000042"]}""", null, "/0/private/Balance", now, TimeSpan.FromSeconds(5))!
            .RetryAfter.ShouldBe(TimeSpan.FromSeconds(42));
        KrakenErrors.Find("kraken", 200, """{"error":["EAPI:Rate limit exceeded"]}""", null, "/0/private/Balance", now, TimeSpan.FromSeconds(5))!
            .RetryAfter.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(500, """["error",10100,"apikey: invalid"]""", ExchangeErrorType.AuthError)]
    [InlineData(500, """["error",10100,"apikey: digest invalid"]""", ExchangeErrorType.AuthError)]
    [InlineData(500, """["error",10100,"apikey: invalid permission"]""", ExchangeErrorType.PermissionDenied)]
    [InlineData(500, """["error",10111,"auth: payload invalid"]""", ExchangeErrorType.AuthError)]
    [InlineData(500, """["error",10112,"auth: signature invalid"]""", ExchangeErrorType.AuthError)]
    [InlineData(500, """["error",10113,"auth: hmac invalid"]""", ExchangeErrorType.AuthError)]
    [InlineData(500, """["error",10114,"nonce: small"]""", ExchangeErrorType.AuthError)]
    [InlineData(429, """{"error":"ERR_RATE_LIMIT"}""", ExchangeErrorType.RateLimited)]
    [InlineData(500, """["error",11010,"ratelimit: error"]""", ExchangeErrorType.RateLimited)]
    [InlineData(429, "", ExchangeErrorType.RateLimited)]
    [InlineData(500, """["error",20060,"maintenance"]""", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(500, """["error",11000,"ready: invalid"]""", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(500, """["error",10020,"symbol: invalid"]""", ExchangeErrorType.InvalidRequest)]
    [InlineData(500, """["error",10001,"not enough exchange balance"]""", ExchangeErrorType.ExchangeError)]
    [InlineData(502, "<html>bad gateway</html>", ExchangeErrorType.ExchangeUnavailable)]
    public void bitfinex_error_arrays_map_to_an_error_type(int status, string body, ExchangeErrorType expected) =>
        BitfinexErrors.Find("bitfinex", status, body, null, "/v2/auth/r/wallets").ShouldNotBeNull().ErrorType.ShouldBe(expected);

    [Fact]
    public void bitfinex_keeps_its_code_and_message_and_a_success_array_is_no_error()
    {
        var e = BitfinexErrors.Find("bitfinex", 500, """["error",10114,"nonce: small"]""", null, "/v2/auth/r/wallets")!;
        (e.ExchangeCode, e.ExchangeMessage, e.HttpStatus).ShouldBe(("10114", "nonce: small", 500));
        BitfinexErrors.Find("bitfinex", 429, """{"error":"ERR_RATE_LIMIT"}""", null, "/v2/ticker/tBTCUSD")!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(60));
        BitfinexErrors.Find("bitfinex", 429, """{"error":"ERR_RATE_LIMIT"}""", TimeSpan.FromSeconds(4), "/v2/ticker/tBTCUSD")!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(4));
        BitfinexErrors.Find("bitfinex", 200, "[1]", null, "/v2/platform/status").ShouldBeNull();
        BitfinexErrors.Find("bitfinex", 200, """[["exchange","BTC",1,0,1,null,null]]""", null, "/v2/auth/r/wallets").ShouldBeNull();
    }

    [Theory]
    [InlineData(401, "Unauthorized\n", ExchangeErrorType.AuthError)]
    [InlineData(401, "", ExchangeErrorType.AuthError)]
    [InlineData(403, """{"error":"PERMISSION_DENIED","error_details":"Missing required scopes","message":"Missing required scopes"}""", ExchangeErrorType.PermissionDenied)]
    [InlineData(400, """{"error":"PERMISSION_DENIED","message":"Missing required scopes"}""", ExchangeErrorType.PermissionDenied)]
    [InlineData(403, "<html><title>Coinbase</title></html>", ExchangeErrorType.PermissionDenied)]
    [InlineData(429, """{"error":"RATE_LIMIT_EXCEEDED","error_details":"Too many requests","message":"Too many requests"}""", ExchangeErrorType.RateLimited)]
    [InlineData(429, "<html><head><title>Coinbase</title></head></html>", ExchangeErrorType.RateLimited)]
    [InlineData(400, """{"code":8,"message":"resource exhausted","details":[]}""", ExchangeErrorType.RateLimited)]
    [InlineData(400, """{"error":"INVALID_ARGUMENT","error_details":"limit must be 1..250","message":"limit must be 1..250"}""", ExchangeErrorType.InvalidRequest)]
    [InlineData(404, """{"error":"NOT_FOUND","error_details":"ProductID is invalid","message":"ProductID is invalid"}""", ExchangeErrorType.InvalidRequest)]
    [InlineData(500, """{"code":16,"message":"unauthenticated","details":[]}""", ExchangeErrorType.AuthError)]
    [InlineData(503, """{"error":"UNAVAILABLE","message":"service is under maintenance"}""", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(502, "<html>bad gateway</html>", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(418, """{"error":"SOMETHING_NEW","message":"?"}""", ExchangeErrorType.ExchangeError)]
    public void coinbase_errors_map_by_status_then_by_error_name(int status, string body, ExchangeErrorType expected) =>
        CoinbaseErrors.Find("coinbase", status, body, null, "/api/v3/brokerage/accounts").ShouldNotBeNull().ErrorType.ShouldBe(expected);

    [Fact]
    public void coinbase_keeps_its_error_name_and_message_waits_a_second_by_default_and_a_success_is_no_error()
    {
        var e = CoinbaseErrors.Find("coinbase", 403, """{"error":"PERMISSION_DENIED","error_details":"Missing required scopes","message":"Missing required scopes"}""", null, "/api/v3/brokerage/accounts")!;
        (e.ExchangeCode, e.ExchangeMessage, e.HttpStatus, e.ErrorTypeName).ShouldBe(("PERMISSION_DENIED", "Missing required scopes", 403, "permission_denied"));
        CoinbaseErrors.Find("coinbase", 401, "Unauthorized\n", null, "/api/v3/brokerage/accounts")!.ErrorTypeName.ShouldBe("auth_error");
        CoinbaseErrors.Find("coinbase", 429, "", null, "/api/v3/brokerage/accounts")!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        CoinbaseErrors.Find("coinbase", 429, "", TimeSpan.FromSeconds(7), "/api/v3/brokerage/accounts")!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        CoinbaseErrors.Find("coinbase", 200, """{"accounts":[],"has_next":false,"cursor":"","size":0}""", null, "/api/v3/brokerage/accounts").ShouldBeNull();
    }
}
