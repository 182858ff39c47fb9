using System.Diagnostics;
using Bitcain.Testing;
using Npgsql;
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

        var dump = await DumpDatabaseAsync(suite.Infrastructure.Postgres);
        dump.ShouldContain(created["id"]!.GetValue<string>(), customMessage: "the dump must hold the credential for the scan to mean anything");

        foreach (var material in new[] { key, secret, passphrase })
        {
            responses.ShouldAllBe(r => !r.Contains(material));
            suite.Logs.Lines.ShouldAllBe(l => !l.Contains(material));
            dump.ShouldNotContain(material);
        }
    }

    private static async Task<string> DumpDatabaseAsync(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo("pg_dump", ["-h", c.Host!, "-p", c.Port.ToString(), "-U", c.Username ?? "postgres", "--data-only", c.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (c.Password is not null) info.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync());
        return output;
    }
}
