using Bitcain.LocalServers;

namespace Bitcain.Testing;

/// <summary>
/// The PostgreSQL and RabbitMQ of a test run: those named by <c>BITCAIN_TEST_POSTGRES</c> and
/// <c>BITCAIN_TEST_RABBITMQ</c>, or throwaway private instances on free ports under a temp folder,
/// started with the starters the AppHost runs its own servers with (Bitcain.LocalServers) and stopped when the test process exits.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class PrivateServers
{
    private static readonly List<IAsyncDisposable> Started = [];
    private static readonly List<string> Folders = [];

    public static async Task<(string Postgres, string RabbitMq)> StartOrUseEnvironmentAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("BITCAIN_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("BITCAIN_TEST_RABBITMQ");

        var folder = Path.Combine(Path.GetTempPath(), "bitcain-tests", Guid.NewGuid().ToString("N")[..10]);
        lock (Started) Folders.Add(folder);
        if (string.IsNullOrWhiteSpace(postgres))
        {
            var server = await PostgresServer.StartAsync(Path.Combine(folder, "postgres"), FreePort.Next(), "postgres");
            Started.Add(server);
            postgres = server.ConnectionString;
        }
        if (string.IsNullOrWhiteSpace(rabbit))
        {
            var ports = FreePort.NextRange(2);
            var node = await RabbitMqServer.StartAsync(Path.Combine(folder, "rabbitmq"), FreePort.Next(), ports, ports + 1);
            Started.Add(node);
            rabbit = node.ConnectionString;
        }
        // The fixture stops them when its collection ends; this is the fallback for a run cut short.
        if (Started.Count > 0) AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAllAsync().Wait(TimeSpan.FromSeconds(20));
        return (postgres, rabbit);
    }

    public static async Task StopAllAsync()
    {
        IAsyncDisposable[] servers;
        lock (Started)
        {
            servers = Started.ToArray();
            Started.Clear();
        }
        foreach (var server in servers) await server.DisposeAsync();

        // Their data (a PostgreSQL cluster and a RabbitMQ node) goes with them: a run leaves nothing behind.
        string[] folders;
        lock (Started)
        {
            folders = Folders.ToArray();
            Folders.Clear();
        }
        foreach (var folder in folders.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
