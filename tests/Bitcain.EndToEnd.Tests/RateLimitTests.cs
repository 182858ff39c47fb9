using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

[Collection(SuiteCollection.Name)]
public sealed class RateLimitTests(BitcainSuite suite)
{
    [Fact]
    public async Task a_user_over_the_limit_gets_429_with_retry_after_while_other_users_are_served()
    {
        Environment.SetEnvironmentVariable("Gateway__RateLimitPermits", "3");
        Environment.SetEnvironmentVariable("Gateway__RateLimitWindowSeconds", "30");
        await using var gateway = await suite.StartAsync<Bitcain.Gateway.Program>();
        Environment.SetEnvironmentVariable("Gateway__RateLimitPermits", "100000");
        Environment.SetEnvironmentVariable("Gateway__RateLimitWindowSeconds", null);

        var busy = new ApiClient(gateway, TestTokens.For("busy-" + Guid.NewGuid().ToString("N")[..8]));
        for (var i = 0; i < 3; i++) (await busy.GetAsync("/api/exchange/credentials")).Status.ShouldBe(200);

        var (status, body, response) = await busy.GetAsync("/api/exchange/credentials");
        status.ShouldBe(429);
        body!["detail"]!.GetValue<string>().ShouldContain("Rate limit exceeded");
        int.Parse(response.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 30);

        var calm = new ApiClient(gateway, TestTokens.For("calm-" + Guid.NewGuid().ToString("N")[..8]));
        (await calm.GetAsync("/api/exchange/credentials")).Status.ShouldBe(200);
        (await calm.GetAsync("/health")).Status.ShouldBe(200);
    }
}
