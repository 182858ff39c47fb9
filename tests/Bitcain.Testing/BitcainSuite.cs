using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wolverine;
using Xunit;

namespace Bitcain.Testing;

/// <summary>
/// The gateway and the three services hosted in the test process, talking over the real RabbitMQ and
/// PostgreSQL of this run. Shared by a test collection: starting hosts is the slow part.
/// </summary>
public class BitcainSuite : IAsyncLifetime
{
    public LogCapture Logs { get; } = new();
    public TestInfrastructure Infrastructure { get; private set; } = null!;
    public IAlbaHost Gateway { get; private set; } = null!;
    public IAlbaHost Credentials { get; set; } = null!;
    public IAlbaHost Market { get; set; } = null!;
    public IAlbaHost Sync { get; private set; } = null!;

    /// <summary>Short enough that "service down" tests stay quick, long enough for a cold first message.</summary>
    public const double ServiceTimeoutSeconds = 6;

    /// <summary>The master key the suite's services share unless a test sets Credentials__MasterKey first.</summary>
    public const string TestMasterKey = "Yml0Y2Fpbi10ZXN0LW1hc3Rlci1rZXktMzItYnl0ZXM=";

    /// <summary>Applied to every host this suite starts (a telemetry test adds its in-memory exporters here).</summary>
    public Action<IServiceCollection>? EveryHost { get; init; }

    public async Task InitializeAsync()
    {
        Infrastructure = await TestInfrastructure.GetAsync();
        Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", "Development");
        Environment.SetEnvironmentVariable("ConnectionStrings__postgres", Infrastructure.Postgres);
        Environment.SetEnvironmentVariable("ConnectionStrings__rabbitmq", Infrastructure.RabbitMq);
        Environment.SetEnvironmentVariable("Auth__SigningKey", TestTokens.SigningKey);
        // The credential master key (base64 of 32 bytes); a test that rotates it sets its own before the hosts start.
        if (Environment.GetEnvironmentVariable("Credentials__MasterKey") is null)
            Environment.SetEnvironmentVariable("Credentials__MasterKey", TestMasterKey);
        // The gateway seals only for the key the credentials service derives from the master key it runs with.
        Environment.SetEnvironmentVariable("Gateway__SealingKeyFingerprint",
            Bitcain.Secrets.SealingKeyPin.FingerprintForMasterKey(Environment.GetEnvironmentVariable("Credentials__MasterKey")!));
        Environment.SetEnvironmentVariable("Gateway__ServiceTimeoutSeconds", ServiceTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Gateway__RateLimitPermits", "100000");
        Environment.SetEnvironmentVariable("Gateway__ValidateRateLimitPermits", "100000");
        foreach (var (key, value) in TestBusIdentities.TrustEnvironment())
            Environment.SetEnvironmentVariable(key, value);
        // The gateway asks the services' queries over HTTP, found through service discovery as the AppHost sets it.
        foreach (var (key, value) in SuiteServiceHandler.DiscoveryEnvironment())
            Environment.SetEnvironmentVariable(key, value);

        Credentials = await StartCredentialsAsync();
        Market = await StartAsync<Bitcain.Market.Program>();
        Sync = await StartAsync<Bitcain.Sync.Program>();
        Gateway = await StartAsync<Bitcain.Gateway.Program>();
        await WarmUpAsync();
    }

    public Task<IAlbaHost> StartCredentialsAsync() => StartAsync<Bitcain.Credentials.Program>();

    // The services share this process's environment, but each signs the bus with a key of its own: a host reads its
    // identity from the environment while it is built, so hosts are built one at a time.
    private static readonly SemaphoreSlim HostBuild = new(1, 1);

    public async Task<IAlbaHost> StartAsync<TProgram>(Action<IServiceCollection>? services = null) where TProgram : class
    {
        await HostBuild.WaitAsync();
        try
        {
            var identity = Bitcain.ServiceDefaults.BitcainMessaging.IdentityNameOf(typeof(TProgram).Assembly);
            foreach (var (key, value) in TestBusIdentities.IdentityEnvironment(identity))
                Environment.SetEnvironmentVariable(key, value);
            return await AlbaHost.For<TProgram>(web =>
            {
                web.UseEnvironment("Development");
                web.ConfigureServices(s =>
                {
                    s.AddSingleton<ILoggerProvider>(Logs);
                    EveryHost?.Invoke(s);
                    if (typeof(TProgram) == typeof(Bitcain.Gateway.Program))
                        s.AddKeyedSingleton<HttpMessageHandler>(Bitcain.ServiceDefaults.ServiceQueries.HttpQueryClient.HandlerKey, new SuiteServiceHandler(this));
                    services?.Invoke(s);
                });
            });
        }
        finally
        {
            HostBuild.Release();
        }
    }

    // The first message of each kind compiles its handler (seconds on a busy machine): pay that here, with
    // patience, rather than in a test's timeout.
    private async Task WarmUpAsync()
    {
        var client = Gateway.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For("warm-up-user"));
        foreach (var (url, expected) in new[]
                 {
                     ("/api/exchange/supported", 200),
                     ("/api/exchange/credentials", 200),
                     ($"/api/exchange/credentials/{Guid.NewGuid()}", 404),
                 })
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var response = await client.GetAsync(url);
                if ((int)response.StatusCode == expected) break;
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"warm-up of {url} still answers {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { Gateway, Sync, Market, Credentials })
        {
            if (host is null) continue;
            try { await host.StopAsync(); } catch (ObjectDisposedException) { }
            await host.DisposeAsync();
        }
        await TestInfrastructure.StopAsync();
    }
}
