using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>The review's findings, end to end: each was a 500, a 503 with a dead letter, or a secret in a 422.</summary>
[Collection(SuiteCollection.Name)]
public sealed class BoundedInputTests(BitcainSuite suite)
{
    private ApiClient User() => new(suite.Gateway, TestTokens.For("bounds-" + Guid.NewGuid().ToString("N")[..8]));

    [Theory]
    [InlineData("/api/exchange/trades?exchange=binance&offset=2147483648", "offset", "less_than_equal")]
    [InlineData("/api/exchange/trades?exchange=binance&offset=100001", "offset", "less_than_equal")]
    [InlineData("/api/exchange/trades?exchange=binance&offset=99999999999999999999", "offset", "int_parsing")]
    [InlineData("/api/audit/events?offset=2147483648", "offset", "less_than_equal")]
    [InlineData("/api/audit/events?limit=1001", "limit", "less_than_equal")]
    [InlineData("/api/exchange/route?base=BTC&quote=USDT&size=1e309", "size", "decimal_parsing")]
    public async Task an_offset_or_size_past_its_bound_is_a_422_not_a_503(string url, string name, string type)
    {
        var (status, body, _) = await User().GetAsync(url);
        status.ShouldBe(422);
        var error = body!["detail"]![0]!;
        error["type"]!.GetValue<string>().ShouldBe(type);
        error["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe(["query", name]);
    }

    [Fact]
    public async Task the_deepest_offset_allowed_is_served()
    {
        var user = User();
        (await user.GetAsync("/api/exchange/trades?exchange=binance&offset=100000&limit=1000")).Status.ShouldBe(200);
        var (status, body, _) = await user.GetAsync("/api/audit/events?offset=100000&limit=1000");
        status.ShouldBe(200);
        body!["offset"]!.GetValue<int>().ShouldBe(100_000);
    }

    [Fact]
    public async Task a_lone_surrogate_in_a_credential_name_is_a_422_string_unicode()
    {
        var (status, body, _) = await User().SendAsync(HttpMethod.Post, "/api/exchange/credentials",
            """{"exchange_name":"binance","credential_name":"Main\ud800","api_key":"AKIAKEY1234567890","api_secret":"S3cret-value-never-logged"}""");
        status.ShouldBe(422);
        var error = body!["detail"]!.AsArray().Single()!;
        error["type"]!.GetValue<string>().ShouldBe("string_unicode");
        error["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe(["body", "credential_name"]);
    }

    [Theory]
    [InlineData("/api/exchange/trades?exchange=binance&symbol=BTC%ED%A0%80", "query", "symbol", "string_unicode")]
    [InlineData("/api/exchange/trades?exchange=binance&symbol=BTC%00USDT", "query", "symbol", "value_error")]
    [InlineData("/api/exchange/credentials/%FF/events", "path", "credential_id", "string_unicode")]
    public async Task a_query_or_path_value_that_is_not_unicode_or_holds_nul_is_a_422_naming_it(string url, string where, string name, string type)
    {
        var (status, body, _) = await User().GetAsync(url);
        status.ShouldBe(422);
        var error = body!["detail"]!.AsArray().Single()!;
        error["type"]!.GetValue<string>().ShouldBe(type);
        error["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe([where, name]);
    }

    [Fact]
    public async Task a_422_never_echoes_a_secret_of_the_request()
    {
        var (status, _, response) = await User().SendAsync(HttpMethod.Post, "/api/exchange/credentials",
            """{"exchange_name":"kucoin","api_key":"AKIA-secret-key-value","api_secret":"short","api_passphrase":"pass-secret-value","credential_name":""}""");
        status.ShouldBe(422);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("AKIA-secret-key-value");
        text.ShouldNotContain("pass-secret-value");
        text.ShouldNotContain("\"short\"");
        text.ShouldContain("**********");

        (status, _, response) = await User().SendAsync(HttpMethod.Post, "/api/exchange/validate", """{"api_key":"AKIA-secret-key-value","api_secret":"the-secret-value"}""");
        status.ShouldBe(422); // exchange missing: pydantic's entry echoes the whole body
        text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("AKIA-secret-key-value");
        text.ShouldNotContain("the-secret-value");
    }

    [Fact]
    public async Task key_validation_has_its_own_tighter_limit_with_retry_after()
    {
        Environment.SetEnvironmentVariable("Gateway__ValidateRateLimitPermits", "2");
        Environment.SetEnvironmentVariable("Gateway__ValidateRateLimitWindowSeconds", "30");
        await using var gateway = await suite.StartAsync<Bitcain.Gateway.Program>();
        Environment.SetEnvironmentVariable("Gateway__ValidateRateLimitPermits", "100000");
        Environment.SetEnvironmentVariable("Gateway__ValidateRateLimitWindowSeconds", null);

        var user = new ApiClient(gateway, TestTokens.For("validator-" + Guid.NewGuid().ToString("N")[..8]));
        var body = new { exchange = "nope", api_key = "AKIAKEY1234567890", api_secret = "S3cret-value-never-logged" };
        for (var i = 0; i < 2; i++) (await user.PostAsync("/api/exchange/validate", body)).Status.ShouldBe(422);

        var (status, answer, response) = await user.PostAsync("/api/exchange/validate", body);
        status.ShouldBe(429);
        answer!["detail"]!.GetValue<string>().ShouldContain("at most 2 key validations per 30 s");
        int.Parse(response.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 30);

        (await user.GetAsync("/api/exchange/credentials")).Status.ShouldBe(200); // the general limit is untouched
        var other = new ApiClient(gateway, TestTokens.For("validator-" + Guid.NewGuid().ToString("N")[..8]));
        (await other.PostAsync("/api/exchange/validate", body)).Status.ShouldBe(422);
    }
}
