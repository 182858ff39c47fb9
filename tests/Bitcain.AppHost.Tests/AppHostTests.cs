using System.IdentityModel.Tokens.Jwt;
using Bitcain.LocalServers;
using Bitcain.AppHost.Security;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests;

/// <summary>Builds the solution once, so the tests that only need binaries run with --no-build.</summary>
public sealed class SolutionBuilt : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var build = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "dotnet", ["build", "Bitcain.sln", "-c", "Debug", "--nologo", "-v", "q"])
        {
            WorkingDirectory = AppHostProcess.RepositoryRoot,
            RedirectStandardOutput = true,
        })!;
        var output = await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        build.ExitCode.ShouldBe(0, output);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class AppHostTests : IClassFixture<SolutionBuilt>
{
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan ShutDown = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task the_apphost_starts_everything_serves_health_and_leaves_nothing_behind_on_sigterm()
    {
        var data = Machine.NewTempFolder("e2e");
        await using var apphost = AppHostProcess.Start(data, AppHostProcess.FreePortArguments());

        await apphost.WaitForLineAsync(RunWatch.ReadyLine, StartUp);
        // Aspire's dashboard, on loopback, behind the login token the printed URL carries.
        var dashboard = System.Text.RegularExpressions.Regex.Match(apphost.Output, @"^  (?<url>http://127\.0\.0\.1:\d+)/login\?t=[0-9a-f]{32}\s*$", System.Text.RegularExpressions.RegexOptions.Multiline);
        dashboard.Success.ShouldBeTrue(apphost.Tail());
        using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
            (await http.GetAsync(dashboard.Groups["url"].Value + "/")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect, "to its login page: no token, no dashboard");
        var gateway = apphost.ServicePort("gateway");
        using (var http = new HttpClient())
        {
            (await http.GetAsync($"http://127.0.0.1:{gateway}/health")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            (await http.GetAsync($"http://127.0.0.1:{gateway}/alive")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        }
        var token = ValidateDemoToken(apphost.PrintedToken(), File.ReadAllText(Path.Combine(data, "signing.key")));
        token.Subject.ShouldBe(BearerTokens.DemoUser);
        token.ValidTo.ShouldBe(DateTime.UtcNow.AddHours(24), TimeSpan.FromMinutes(10));
        new FileInfo(Path.Combine(data, "signing.key")).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var identity in BusIdentityKeys.ServiceIdentities)
            new FileInfo(Path.Combine(data, $"bus-{identity}.key")).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // A query crosses the bus signed with the gateway's generated key and is answered: the services were given the keys.
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", apphost.PrintedToken());
            (await http.GetAsync($"http://127.0.0.1:{gateway}/api/exchange/credentials")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, apphost.Tail());
        }
        var pids = apphost.PrintedPids();
        pids.Count.ShouldBe(6, apphost.Tail());
        // The report says where the servers are, never their passwords: the demo token is the one secret it prints.
        apphost.Output.ShouldNotContain(apphost.PostgresPassword());
        foreach (var password in Directory.GetFiles(Path.Combine(data, "rabbitmq", "passwords")).Select(File.ReadAllText))
            apphost.Output.ShouldNotContain(password.Trim());

        // Each service on its own broker user, guest gone, PostgreSQL asking for a password: a query still goes from
        // the gateway to the market service's queue and its answer back to the gateway's reply queue.
        (await SupportedExchangesAsync(gateway, apphost.PrintedToken())).ShouldContain("\"binance\"", Case.Sensitive, apphost.Tail());
        Directory.GetFiles(Path.Combine(data, "rabbitmq", "passwords")).Select(Path.GetFileName)
            .ShouldBe(BrokerUser.All.Select(u => u.Name), ignoreOrder: true);
        File.ReadAllText(Path.Combine(data, "rabbitmq", "rabbitmq.conf")).ShouldNotContain("guest = true");
        new FileInfo(PostgresServer.PasswordFileFor(Path.Combine(data, "postgres"))).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        apphost.Terminate();
        (await apphost.WaitForExitAsync(ShutDown)).ShouldBe(0, apphost.Tail());

        pids.Where(UnixProcess.IsAlive).ShouldBeEmpty(apphost.Tail());
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
        (await Machine.ProcessesMentioningAfterAWhile(AppHostProcess.RepositoryRoot + "/services/")).ShouldBeEmpty();
    }

    /// <summary>The first query after start-up also compiles its handlers (Wolverine's runtime code generation): on a
    /// busy machine that may outlast the gateway's 10 s wait, so a 504 is asked again.</summary>
    private static async Task<string> SupportedExchangesAsync(int gateway, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{gateway}/api/exchange/supported");
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode || response.StatusCode != System.Net.HttpStatusCode.GatewayTimeout || DateTime.UtcNow > deadline)
                return $"{(int)response.StatusCode} {body}";
        }
    }

    [Fact]
    public async Task a_supplied_postgres_is_used_as_is_and_nothing_is_started_for_it()
    {
        var data = Machine.NewTempFolder("supplied");
        var theirs = Machine.NewTempFolder("theirs");
        await using var postgres = await PostgresServer.StartAsync(Path.Combine(theirs, "postgres"), FreePort.Next(), "theirs");
        await using var apphost = AppHostProcess.Start(data,
            new Dictionary<string, string> { ["ConnectionStrings__postgres"] = postgres.ConnectionString },
            ["--no-build", .. AppHostProcess.FreePortArguments()]);

        await apphost.WaitForLineAsync(RunWatch.ReadyLine, StartUp);
        apphost.Output.ShouldContain($"postgres     {postgres.ConnectionString}");
        apphost.Output.ShouldContain("supplied by ConnectionStrings__postgres; nothing started");
        apphost.Output.ShouldNotContain("[postgres]");
        Directory.Exists(Path.Combine(data, "postgres")).ShouldBeFalse();

        apphost.Terminate();
        (await apphost.WaitForExitAsync(ShutDown)).ShouldBe(0, apphost.Tail());
        UnixProcess.IsAlive(postgres.Pid!.Value).ShouldBeTrue("the user's server is not ours to stop");
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_second_apphost_on_the_same_data_folder_refuses_and_says_who_holds_it()
    {
        var data = Machine.NewTempFolder("twice");
        await using var first = AppHostProcess.Start(data, ["--no-build", .. AppHostProcess.FreePortArguments()]);
        await first.WaitForLineAsync("[postgres]", StartUp);

        await using var second = AppHostProcess.Start(data, ["--no-build", .. AppHostProcess.FreePortArguments()]);
        (await second.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(1);
        second.Output.ShouldContain($"Another AppHost (pid {first.Pid}) already runs on the data folder {data}");
        second.Output.ShouldNotContain("[postgres]");

        first.Terminate();
        (await first.WaitForExitAsync(ShutDown)).ShouldBe(0, first.Tail());
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_taken_port_is_named_and_nothing_starts()
    {
        var data = Machine.NewTempFolder("port");
        var ports = AppHostProcess.FreePortArguments();
        var postgresPort = int.Parse(ports[Array.IndexOf(ports, "--postgres-port") + 1]);
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, postgresPort);
        squatter.Start();

        await using var apphost = AppHostProcess.Start(data, ["--no-build", .. ports]);
        (await apphost.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(1);
        apphost.Output.ShouldContain($"port {postgresPort} on 127.0.0.1 is taken by another process; it is needed for PostgreSQL");
        apphost.Output.ShouldNotContain("[postgres]");
    }

    [Fact]
    public async Task a_service_that_crashes_is_named_with_its_last_lines_and_the_apphost_exits_non_zero()
    {
        var data = Machine.NewTempFolder("crash");
        // A startup hook that does not exist makes the runtime abort credentials as it starts, whatever its code.
        await using var apphost = AppHostProcess.Start(data,
            ["--no-build", "--env", "credentials:DOTNET_STARTUP_HOOKS=/nonexistent/crash-on-start.dll", .. AppHostProcess.FreePortArguments()]);

        (await apphost.WaitForExitAsync(StartUp)).ShouldBe(1, apphost.Tail());
        // DCP reports -1 for a process that dies before it has seen it run.
        apphost.Output.ShouldMatch(@"credentials \(pid \d+\) exited unexpectedly with exit code -?\d+");
        apphost.Output.ShouldContain("  | ");
        apphost.Output.ShouldContain("crash-on-start.dll");
        apphost.Output.ShouldNotContain("[sync]");
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_service_killed_after_start_up_is_named_and_the_rest_is_stopped()
    {
        var data = Machine.NewTempFolder("killed");
        await using var apphost = AppHostProcess.Start(data, ["--no-build", .. AppHostProcess.FreePortArguments()]);
        await apphost.WaitForLineAsync(RunWatch.ReadyLine, StartUp);
        var pids = apphost.PrintedPids();
        var market = apphost.ServicePid("market");

        UnixProcess.Signal(market, UnixProcess.SigKill);

        (await apphost.WaitForExitAsync(ShutDown)).ShouldBe(1, apphost.Tail());
        apphost.Output.ShouldContain($"market (pid {market}) exited unexpectedly with exit code 137");
        pids.Where(UnixProcess.IsAlive).ShouldBeEmpty(apphost.Tail());
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
    }

    [Fact]
    public async Task simulated_exchanges_start_the_simulator_first_and_print_its_demo_accounts()
    {
        var data = Machine.NewTempFolder("sim");
        await using var apphost = AppHostProcess.Start(data,
            ["--no-build", "--exchanges", "simulated", "--simulator-port", FreePort.Next().ToString(), .. AppHostProcess.FreePortArguments()]);

        await apphost.WaitForLineAsync(RunWatch.ReadyLine, StartUp);
        apphost.Output.ShouldContain("Simulated exchange accounts:");
        apphost.Output.ShouldMatch(@"(?m)^  binance\s+\S+");
        var simulator = apphost.ServicePid("simulator");
        apphost.Output.IndexOf("started simulator", StringComparison.Ordinal)
            .ShouldBeLessThan(apphost.Output.IndexOf("started credentials", StringComparison.Ordinal));

        apphost.Terminate();
        (await apphost.WaitForExitAsync(ShutDown)).ShouldBe(0, apphost.Tail());
        UnixProcess.IsAlive(simulator).ShouldBeFalse();
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
    }

    [Fact]
    public async Task the_token_command_prints_only_a_token_signed_with_the_data_folders_key()
    {
        var data = Machine.NewTempFolder("token");
        var run = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "dotnet", [AppHostProcess.AppHostDll, "token", "--user", "alice", "--hours", "2", "--data", data])
        {
            RedirectStandardOutput = true,
            Environment = { ["Auth__SigningKey"] = null },
        })!;
        var output = (await run.StandardOutput.ReadToEndAsync()).Trim();
        await run.WaitForExitAsync();

        run.ExitCode.ShouldBe(0);
        output.Split('\n').Length.ShouldBe(1);
        var token = ValidateDemoToken(output, File.ReadAllText(Path.Combine(data, "signing.key")));
        token.Subject.ShouldBe("alice");
        token.ValidTo.ShouldBe(DateTime.UtcNow.AddHours(2), TimeSpan.FromMinutes(5));
    }

    private static JwtSecurityToken ValidateDemoToken(string token, string signingKey)
    {
        new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = "bitcain",
            ValidAudience = "bitcain-api",
            // As the gateway reads it: the UTF-8 bytes of Auth__SigningKey.
            IssuerSigningKey = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(signingKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        }, out var validated);
        return (JwtSecurityToken)validated;
    }
}
