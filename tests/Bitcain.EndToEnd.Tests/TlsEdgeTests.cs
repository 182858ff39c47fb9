using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>The gateway behind the TLS proxy of ops/cluster (an Ingress): what it believes of the proxy, what it tells browsers.</summary>
[Collection(SuiteCollection.Name)]
public sealed class TlsEdgeTests(BitcainSuite suite)
{
    private const string Hsts = "Strict-Transport-Security";

    [Fact]
    public async Task behind_a_trusted_tls_proxy_the_gateway_tells_browsers_to_use_https_only()
    {
        Environment.SetEnvironmentVariable("Edge__TrustForwardedHeaders", "true");
        await using var gateway = await suite.StartAsync<Bitcain.Gateway.Program>();
        Environment.SetEnvironmentVariable("Edge__TrustForwardedHeaders", null);

        using var viaTls = await AliveAsync(gateway.Server.CreateClient(), forwardedProto: "https");
        viaTls.Headers.GetValues(Hsts).Single().ShouldBe("max-age=31536000; includeSubDomains");
        using var inClear = await AliveAsync(gateway.Server.CreateClient(), forwardedProto: null);
        inClear.Headers.Contains(Hsts).ShouldBeFalse("an http answer cannot carry HSTS (browsers ignore it, and it says nothing true)");
    }

    [Fact]
    public async Task a_gateway_not_told_to_trust_a_proxy_ignores_whoever_claims_https()
    {
        using var response = await AliveAsync(suite.Gateway.Server.CreateClient(), forwardedProto: "https");
        response.Headers.Contains(Hsts).ShouldBeFalse();
    }

    private static async Task<HttpResponseMessage> AliveAsync(HttpClient client, string? forwardedProto)
    {
        // Not localhost: ASP.NET Core never sends HSTS to a loopback host name.
        client.BaseAddress = new Uri("http://api.bitcain.example/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        if (forwardedProto is not null)
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        return response;
    }
}
