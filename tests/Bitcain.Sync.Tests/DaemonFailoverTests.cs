using System.Diagnostics;
using Bitcain.ServiceDefaults;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>
/// The projection daemon's lock must come free when the instance holding it dies, even while the holder's backend
/// waits in <c>pg_sleep</c> (as Marten's HotCold lock connection does): otherwise no survivor takes over until the
/// sleep ends.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class DaemonFailoverTests(SyncSuite sync)
{
    private const long Lock = 0x5EED_F00D;

    [Fact]
    public async Task the_event_store_connections_ask_postgres_to_watch_for_a_dead_client()
    {
        await using var session = sync.Suite.Sync.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var connection = (NpgsqlConnection)session.Connection!;
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        foreach (var (name, expected) in new[] { ("client_connection_check_interval", "1s"), ("tcp_keepalives_idle", "10"), ("tcp_keepalives_count", "3") })
        {
            await using var show = new NpgsqlCommand($"show {name}", connection);
            ((string?)await show.ExecuteScalarAsync()).ShouldBe(expected, name);
        }
    }

    [Fact]
    public void settings_already_in_the_connection_string_are_kept()
    {
        var connection = EventStoreDefaults.WithDeadClientDetection("Host=db;Options=-c client_connection_check_interval=5000 -c search_path=x");
        var options = new NpgsqlConnectionStringBuilder(connection).Options!;
        options.ShouldContain("client_connection_check_interval=5000");
        options.ShouldNotContain("client_connection_check_interval=1000");
        options.ShouldContain("search_path=x");
        options.ShouldContain("tcp_keepalives_idle=10");
    }

    [Fact]
    public async Task a_lock_held_by_a_killed_client_in_pg_sleep_comes_free_long_before_the_sleep_ends()
    {
        var server = new NpgsqlConnectionStringBuilder(EventStoreDefaults.WithDeadClientDetection(sync.Suite.Infrastructure.Postgres));
        await using var observer = new NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await observer.OpenAsync();

        // A client holding the lock inside a ten-minute sleep, with the service's session settings, then SIGKILLed.
        var start = new ProcessStartInfo("psql", ["-X", "-q", "-c", $"select pg_advisory_lock({Lock}), pg_sleep(600)"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["PGHOST"] = server.Host, ["PGPORT"] = server.Port.ToString(), ["PGUSER"] = server.Username,
                ["PGPASSWORD"] = server.Password ?? "", ["PGDATABASE"] = server.Database, ["PGOPTIONS"] = server.Options,
            },
        };
        using var holder = Process.Start(start)!;
        try
        {
            await EventuallyAsync(async () => await HolderBackendAsync(observer) is not null, "the client holds the lock");
            (await TryLockAsync(observer)).ShouldBeFalse();
            holder.Kill();
            await holder.WaitForExitAsync();

            // Without the check the backend sleeps on for ten minutes, lock held; with it, it ends within seconds.
            await EventuallyAsync(async () => await TryLockAsync(observer), "the killed client's lock comes free while its sleep still runs");
        }
        finally
        {
            if (!holder.HasExited) holder.Kill();
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"select pg_try_advisory_lock({Lock})", connection);
        var taken = (bool)(await command.ExecuteScalarAsync())!;
        if (taken)
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({Lock})", connection);
            await unlock.ExecuteScalarAsync();
        }
        return taken;
    }

    private static async Task<int?> HolderBackendAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            $"select pid from pg_locks where locktype = 'advisory' and granted and ((classid::bigint << 32) | objid::bigint) = {Lock} limit 1", connection);
        return await command.ExecuteScalarAsync() as int?;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        // A bound for a wait, far below the ten-minute sleep the lock would otherwise outlast.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Not within 60 s: {what}");
            await Task.Delay(200);
        }
    }
}
