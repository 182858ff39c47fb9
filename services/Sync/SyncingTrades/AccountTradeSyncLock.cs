using Npgsql;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// One trade sync per account at a time, across every instance of the sync service: a PostgreSQL session advisory
/// lock on the account, held on a connection of its own for the whole walk. A process that dies loses its
/// connection and with it the lock (the services ask PostgreSQL to watch for dead clients), so nothing stays stuck.
/// </summary>
public sealed class AccountTradeSyncLock : IAsyncDisposable
{
    // The two-key form lives apart from Marten's single-key daemon lock in pg_locks (objsubid 2, not 1).
    private const int Namespace = 0x54524144; // "TRAD"
    private readonly NpgsqlConnection connection;
    private readonly int key;

    private AccountTradeSyncLock(NpgsqlConnection connection, int key, bool waited)
    {
        this.connection = connection;
        this.key = key;
        Waited = waited;
    }

    /// <summary>True when another sync of the account held the lock when this one asked.</summary>
    public bool Waited { get; }

    public static async Task<AccountTradeSyncLock> AcquireAsync(NpgsqlDataSource db, Guid credentialId, CancellationToken ct)
    {
        var key = KeyOf(credentialId);
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var waited = false;
            while (!await TryAsync(connection, key, ct))
            {
                waited = true;
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
            return new AccountTradeSyncLock(connection, key, waited);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> TryAsync(NpgsqlConnection connection, int key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection)
        {
            Parameters = { new() { Value = Namespace }, new() { Value = key } },
        };
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static int KeyOf(Guid credentialId)
    {
        Span<byte> bytes = stackalloc byte[16];
        credentialId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes[..4]) ^ BitConverter.ToInt32(bytes[4..8]) ^ BitConverter.ToInt32(bytes[8..12]) ^ BitConverter.ToInt32(bytes[12..]);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection)
            {
                Parameters = { new() { Value = Namespace }, new() { Value = key } },
            };
            await cmd.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            // The connection is closed below; closing it releases the lock as well.
        }
        await connection.DisposeAsync();
    }
}
