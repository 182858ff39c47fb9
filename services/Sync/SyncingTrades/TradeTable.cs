using System.Security.Cryptography;
using System.Text;
using Bitcain.Sync.Account;
using Npgsql;
using NpgsqlTypes;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// The trade read model: one row per (user, credential, exchange symbol, exchange trade id). That key is the
/// primary key, so a trade is stored once even when two syncs of one account race; <c>ON CONFLICT DO NOTHING
/// RETURNING</c> tells each sync exactly which trades it stored. A plain table rather than Marten documents so
/// that stats, filters and paging are single SQL statements and ingest is one statement per page.
/// </summary>
public sealed class TradeTable(NpgsqlDataSource db)
{
    public const string Name = SyncServiceSetup.Schema + ".trades";

    /// <summary>
    /// The one index besides the key: newest first per user and exchange, carrying every column the list's filter and
    /// paging keys and the stats read, so those are index-only scans. One index rather than one per query: each index
    /// is paid again for every stored trade. It replaces <c>trades_newest_first</c>, which carried the order alone.
    /// </summary>
    public const string ByTimeIndex = "trades_by_time";
    private readonly SemaphoreSlim _created = new(1, 1);
    private volatile bool _exists;

    public NpgsqlDataSource Database => db;

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        if (_exists) return;
        await _created.WaitAsync(ct);
        try
        {
            if (_exists) return;
            await using var cmd = db.CreateCommand($"""
                CREATE SCHEMA IF NOT EXISTS {SyncServiceSetup.Schema};
                CREATE TABLE IF NOT EXISTS {Name} (
                    tenant_id text NOT NULL,
                    credential_id uuid NOT NULL,
                    exchange_symbol text NOT NULL,
                    exchange_trade_id text NOT NULL,
                    id uuid NOT NULL,
                    exchange text NOT NULL,
                    symbol text NOT NULL,
                    side text NOT NULL,
                    price numeric NOT NULL,
                    amount numeric NOT NULL,
                    cost numeric NOT NULL,
                    fee numeric,
                    fee_currency text,
                    trade_timestamp timestamptz NOT NULL,
                    sync_status text NOT NULL,
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, credential_id, exchange_symbol, exchange_trade_id));
                CREATE INDEX IF NOT EXISTS {ByTimeIndex} ON {Name} (tenant_id, exchange, trade_timestamp DESC, exchange_trade_id DESC)
                    INCLUDE (credential_id, exchange_symbol, symbol, side, cost, fee, sync_status);
                DROP INDEX IF EXISTS {SyncServiceSetup.Schema}.trades_newest_first;
                """);
            await cmd.ExecuteNonQueryAsync(ct);
            _exists = true;
        }
        finally { _created.Release(); }
    }

    /// <summary>The trade's id in Bitcain: derived from its key, so it is the same whoever stores it first.</summary>
    public static Guid TradeId(Guid credentialId, string exchangeSymbol, string exchangeTradeId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{credentialId:N}|{exchangeSymbol}|{exchangeTradeId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Inserts the page inside <paramref name="tx"/>; returns the trades that were not stored yet.</summary>
    public static async Task<IReadOnlyList<SyncedTrade>> InsertNewAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string user, Guid credentialId,
        string exchange, IReadOnlyList<SyncedTrade> trades, DateTimeOffset now, CancellationToken ct)
    {
        if (trades.Count == 0) return [];
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {Name} (tenant_id, credential_id, exchange, sync_status, created_at,
                exchange_symbol, exchange_trade_id, id, symbol, side, price, amount, cost, fee, fee_currency, trade_timestamp)
            SELECT $1, $2, $3, 'synced', $4, t.*
            FROM unnest($5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[], $14::text[], $15::timestamptz[])
                AS t(exchange_symbol, exchange_trade_id, id, symbol, side, price, amount, cost, fee, fee_currency, trade_timestamp)
            ON CONFLICT DO NOTHING
            RETURNING exchange_symbol, exchange_trade_id
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = exchange });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.ExchangeSymbol).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.ExchangeTradeId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => TradeId(credentialId, t.ExchangeSymbol, t.ExchangeTradeId)).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Symbol).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Side).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Price).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Amount).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Cost).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Fee).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.FeeCurrency).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trades.Select(t => t.Timestamp.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });

        var inserted = new HashSet<(string, string)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) inserted.Add((reader.GetString(0), reader.GetString(1)));
        return trades.Where(t => inserted.Remove((t.ExchangeSymbol, t.ExchangeTradeId))).ToList();
    }

    /// <summary>Where a default sync resumes for one exchange symbol (null: every symbol of the account).</summary>
    public async Task<(DateTimeOffset? LastTimestamp, long? LastNumericId)> LastStoredAsync(string user, Guid credentialId, string? exchangeSymbol, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct);
        await using var cmd = db.CreateCommand($"""
            SELECT max(trade_timestamp), max(CASE WHEN exchange_trade_id ~ '^[0-9]{"{1,18}"}$' THEN exchange_trade_id::bigint END)
            FROM {Name} WHERE tenant_id = $1 AND credential_id = $2 AND ($3::text IS NULL OR exchange_symbol = $3)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)exchangeSymbol ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.IsDBNull(0) ? null : new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero),
            reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    public async Task<IReadOnlyList<string>> StoredSymbolsAsync(string user, Guid credentialId, CancellationToken ct)
    {
        await EnsureCreatedAsync(ct);
        await using var cmd = db.CreateCommand($"SELECT DISTINCT symbol FROM {Name} WHERE tenant_id = $1 AND credential_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        var symbols = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) symbols.Add(reader.GetString(0));
        return symbols;
    }
}
