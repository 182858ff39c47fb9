using Npgsql;

namespace Bitcain.Testing;

/// <summary>
/// PostgreSQL and RabbitMQ for one test run: the ones named by <c>BITCAIN_TEST_POSTGRES</c> /
/// <c>BITCAIN_TEST_RABBITMQ</c>, or private throwaway instances started once per run and stopped at its end.
/// Each run gets a database of its own, so runs never see each other's streams.
/// </summary>
public sealed class TestInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestInfrastructure? _current;

    public required string PostgresServer { get; init; }
    public required string Postgres { get; init; }
    public required string RabbitMq { get; init; }

    public static async Task<TestInfrastructure> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _current ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the private servers of this run (a no-op for servers named by the environment).</summary>
    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (OperatingSystem.IsLinux()) await PrivateServers.StopAllAsync();
            _current = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<TestInfrastructure> StartAsync()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the test servers run from Debian's PostgreSQL and RabbitMQ packages");
        var (postgresServer, rabbit) = await PrivateServers.StartOrUseEnvironmentAsync();

        var database = "bitcain_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(postgresServer))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(postgresServer) { Database = database };
        return new TestInfrastructure { PostgresServer = postgresServer, Postgres = builder.ConnectionString, RabbitMq = rabbit };
    }
}
