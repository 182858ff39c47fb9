using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

[Collection(SuiteCollection.Name)]
public sealed class SecretTests(BitcainSuite suite)
{
    [Fact]
    public async Task a_stored_secret_appears_in_no_response_no_log_line_and_nowhere_in_the_database()
    {
        var key = "KEY" + Guid.NewGuid().ToString("N");
        var secret = "SECRET" + Guid.NewGuid().ToString("N");
        var passphrase = "PASS" + Guid.NewGuid().ToString("N");
        var api = new ApiClient(suite.Gateway, TestTokens.For("secret-" + Guid.NewGuid().ToString("N")[..8]));

        var body = ApiClient.NewCredential(exchange: "kucoin", key: key, secret: secret) as Dictionary<string, object?>;
        body!["api_passphrase"] = passphrase;
        var responses = new List<string>();
        var (status, created, _) = await api.PostAsync("/api/exchange/credentials", body);
        status.ShouldBe(201);
        responses.Add(created!.ToJsonString());
        responses.Add((await api.GetAsync("/api/exchange/credentials")).Body!.ToJsonString());
        responses.Add((await api.GetAsync($"/api/exchange/credentials/{created["id"]}")).Body!.ToJsonString());

        var dump = await DatabaseDump.DumpAsync(suite.Infrastructure.Postgres);
        dump.ShouldContain(created["id"]!.GetValue<string>(), customMessage: "the dump must hold the credential for the scan to mean anything");

        foreach (var material in new[] { key, secret, passphrase })
        {
            responses.ShouldAllBe(r => !r.Contains(material));
            suite.Logs.Lines.ShouldAllBe(l => !l.Contains(material));
            dump.ShouldNotContain(material);
        }
    }
}
