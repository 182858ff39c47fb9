using System.Security.Cryptography;
using System.Text;
using Bitcain.Sync.Account;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// The trade read model: one row per (user, credential, exchange symbol, exchange trade id). That key is the
/// primary key, so a trade is stored once even when two syncs of one account race: a page's <c>COPY</c> fails on it, and
/// then <c>ON CONFLICT DO NOTHING RETURNING</c> tells each sync exactly which trades it stored. A plain table rather than
/// Marten documents so that stats, filters and paging are single SQL statements and ingest is one <c>COPY</c> per page.
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

    /// <summary>
    /// How many trades each user holds per exchange, kept in the transaction that stores them (the rows actually inserted,
    /// so duplicates are not counted): a list without a symbol or date filter takes its <c>total_records</c> from here
    /// instead of counting the user's index entries, which at a million trades was most of a page's cost.
    /// </summary>
    public const string CountsName = SyncServiceSetup.Schema + ".trade_counts";
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
                DO $$
                BEGIN
                    -- Two instances starting at once: one creates and fills, the other then finds the table.
                    PERFORM pg_advisory_xact_lock(hashtext('{CountsName}'));
                    IF to_regclass('{CountsName}') IS NULL THEN
                        -- A deployment that stored trades before the counts existed: counted once, with writers held off
                        -- until the counts are in, so no page lands between the count and the table that keeps it.
                        LOCK TABLE {Name} IN SHARE MODE;
                        CREATE TABLE {CountsName} (
                            tenant_id text NOT NULL,
                            exchange text NOT NULL,
                            trades bigint NOT NULL,
                            PRIMARY KEY (tenant_id, exchange));
                        INSERT INTO {CountsName} (tenant_id, exchange, trades)
                            SELECT tenant_id, exchange, count(*) FROM {Name} GROUP BY tenant_id, exchange;
                    END IF;
                END $$;
                """);
            await cmd.ExecuteNonQueryAsync(ct);
            _exists = true;
        }
        finally { _created.Release(); }
    }

    /// <summary>The trade's id in Bitcain: derived from its key, so it is the same whoever stores it first.
    /// The hashed text is <c>{credentialId:N}|{exchangeSymbol}|{exchangeTradeId}</c> in UTF-8, written straight into a
    /// stack buffer: a page computes a thousand of these, and the string and arrays per trade were a share of its CPU.</summary>
    public static Guid TradeId(Guid credentialId, string exchangeSymbol, string exchangeTradeId)
    {
        var length = 34 + Encoding.UTF8.GetByteCount(exchangeSymbol) + Encoding.UTF8.GetByteCount(exchangeTradeId);
        Span<byte> text = length <= 256 ? stackalloc byte[256] : new byte[length];
        credentialId.TryFormat(text, out var n, "N");
        text[n++] = (byte)'|';
        n += Encoding.UTF8.GetBytes(exchangeSymbol, text[n..]);
        text[n++] = (byte)'|';
        n += Encoding.UTF8.GetBytes(exchangeTradeId, text[n..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text[..n], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private const string Columns = "tenant_id, credential_id, exchange, sync_status, created_at, "
        + "exchange_symbol, exchange_trade_id, id, symbol, side, price, amount, cost, fee, fee_currency, trade_timestamp";

    /// <summary>
    /// Stores a page none of whose trades is stored yet (a first sync, each page after a resumed walk's first) by binary
    /// <c>COPY</c>, as the first statement of the connection's open transaction; returns false when one of them is stored already, or is
    /// being stored by a racing sync that then commits. The key stays the arbiter: the <c>COPY</c> then fails whole and
    /// the transaction is left aborted, for the caller to roll back and store the page with <see cref="InsertNewAsync"/>.
    /// No savepoint: on a busy machine each round trip of a page costs more than its rows (README, "Trade ingest").
    /// </summary>
    public static async Task<bool> TryCopyAllNewAsync(NpgsqlConnection conn, string user, Guid credentialId, string exchange,
        IReadOnlyList<SyncedTrade> trades, DateTimeOffset now, CancellationToken ct, TradePagePhases? phases = null)
    {
        if (trades.Count == 0) return true;
        try
        {
            await CopyAsync(conn, user, credentialId, exchange, trades, now, ct, phases);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "trades")
        {
            return false;
        }
    }

    /// <summary>Inserts the page inside <paramref name="tx"/> row by row, each conflict on the key skipped; returns the
    /// trades that were not stored yet.</summary>
    public static async Task<IReadOnlyList<SyncedTrade>> InsertNewAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string user, Guid credentialId,
        string exchange, IReadOnlyList<SyncedTrade> trades, DateTimeOffset now, CancellationToken ct)
    {
        if (trades.Count == 0) return [];
        var ids = new Guid[trades.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = TradeId(credentialId, trades[i].ExchangeSymbol, trades[i].ExchangeTradeId);
        return await InsertEachAsync(conn, tx, user, credentialId, exchange, trades, ids, now, ct);
    }

    private static async Task CopyAsync(NpgsqlConnection conn, string user, Guid credentialId, string exchange, IReadOnlyList<SyncedTrade> trades,
        DateTimeOffset now, CancellationToken ct, TradePagePhases? phases = null)
    {
        var created = now.UtcDateTime;
        var started = TradePagePhases.Now();
        await using var copy = await conn.BeginBinaryImportAsync($"COPY {Name} ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
        phases?.CopyStarted(started);
        for (var i = 0; i < trades.Count; i++)
        {
            var t = trades[i];
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(user, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(credentialId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(exchange, NpgsqlDbType.Text, ct);
            await copy.WriteAsync("synced", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(created, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(t.ExchangeSymbol, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(t.ExchangeTradeId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(TradeId(credentialId, t.ExchangeSymbol, t.ExchangeTradeId), NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(t.Symbol, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(t.Side, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(t.Price, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(t.Amount, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(t.Cost, NpgsqlDbType.Numeric, ct);
            if (t.Fee is { } fee) await copy.WriteAsync(fee, NpgsqlDbType.Numeric, ct);
            else await copy.WriteNullAsync(ct);
            if (t.FeeCurrency is { } currency) await copy.WriteAsync(currency, NpgsqlDbType.Text, ct);
            else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(t.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
        }
        started = TradePagePhases.Now();
        await copy.CompleteAsync(ct);
        phases?.CopyCompleted(started);
    }

    private static async Task<IReadOnlyList<SyncedTrade>> InsertEachAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string user, Guid credentialId,
        string exchange, IReadOnlyList<SyncedTrade> trades, Guid[] ids, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {Name} ({Columns})
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
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
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

    /// <summary>Adds the trades a page stored to the user's count, in the page's own batch and transaction (the event's): the
    /// count moves exactly when the rows do, and a page rolled back takes its count with it.</summary>
    public static void CountStored(IDocumentOperations session, string user, string exchange, int stored)
    {
        if (stored == 0) return;
        session.QueueSqlCommand($"""
            INSERT INTO {CountsName} AS c (tenant_id, exchange, trades) VALUES (?, ?, ?)
            ON CONFLICT (tenant_id, exchange) DO UPDATE SET trades = c.trades + excluded.trades
            """, user, exchange, (long)stored);
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
