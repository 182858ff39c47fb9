using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.Sync.Account;
using Bitcain.Sync.SyncingTrades;
using Npgsql;
using NpgsqlTypes;
using Wolverine;

namespace Bitcain.Sync.ReadingTrades;

/// <summary>Trade list and stats, each one SQL statement over the trade table, always filtered by the user.</summary>
public static class TradeQueryHandler
{
    private const string Filter = """
        tenant_id = $1 AND ($2::text IS NULL OR exchange = $2) AND ($3::text IS NULL OR symbol = $3 OR exchange_symbol = $3 OR replace(symbol, '/', '') = regexp_replace($3, '[-_/:]', '', 'g'))
        AND ($4::timestamptz IS NULL OR trade_timestamp >= $4) AND ($5::timestamptz IS NULL OR trade_timestamp <= $5)
        """;

    private static void AddFilter(NpgsqlCommand cmd, string user, string? exchange, string? symbol, DateTimeOffset? start, DateTimeOffset? end)
    {
        cmd.Parameters.Add(new NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)exchange ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)symbol ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)start?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)end?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    public static async Task<TradeList> Handle(GetTrades query, Envelope envelope, TradeTable table, CancellationToken ct)
    {
        var user = SyncUser.Of(envelope);
        if (user is null) return new TradeList([], 0);
        await table.EnsureCreatedAsync(ct);
        await using var cmd = table.Database.CreateCommand($"""
            SELECT id, exchange_trade_id, exchange, symbol, side, price, amount, cost, fee, fee_currency, trade_timestamp, sync_status, created_at,
                   count(*) OVER ()
            FROM {TradeTable.Name} WHERE {Filter}
            ORDER BY trade_timestamp DESC, exchange_trade_id DESC
            LIMIT $6 OFFSET $7
            """);
        AddFilter(cmd, user, query.Exchange, query.Symbol, query.StartDate, query.EndDate);
        // A bus client is not checked by the gateway: a negative LIMIT is a PostgreSQL error and a dead letter.
        cmd.Parameters.Add(new NpgsqlParameter { Value = QueryBounds.Limit(query.Limit) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = QueryBounds.Offset(query.Offset) });
        var trades = new List<StoredTrade>();
        long total = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                trades.Add(new StoredTrade(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDecimal(5), r.GetDecimal(6),
                    r.GetDecimal(7), r.IsDBNull(8) ? null : r.GetDecimal(8), r.IsDBNull(9) ? null : r.GetString(9), Utc(r.GetDateTime(10)), r.GetString(11),
                    Utc(r.GetDateTime(12))));
                total = r.GetInt64(13);
            }
        if (trades.Count == 0 && query.Offset > 0) total = await CountAsync(table, user, query, ct);
        return new TradeList(trades, total);
    }

    private static async Task<long> CountAsync(TradeTable table, string user, GetTrades query, CancellationToken ct)
    {
        await using var cmd = table.Database.CreateCommand($"SELECT count(*) FROM {TradeTable.Name} WHERE {Filter}");
        AddFilter(cmd, user, query.Exchange, query.Symbol, query.StartDate, query.EndDate);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<TradeStats> Handle(GetTradeStats query, Envelope envelope, TradeTable table, CancellationToken ct)
    {
        var user = SyncUser.Of(envelope);
        if (user is null) return new TradeStats(0, 0, 0, 0m, 0m, 0, 0, null, null);
        await table.EnsureCreatedAsync(ct);
        await using var cmd = table.Database.CreateCommand($"""
            SELECT count(*), count(*) FILTER (WHERE side = 'buy'), count(*) FILTER (WHERE side = 'sell'),
                   coalesce(sum(cost), 0), coalesce(sum(fee), 0),
                   count(*) FILTER (WHERE sync_status = 'synced'), count(*) FILTER (WHERE sync_status = 'failed'),
                   min(trade_timestamp), max(trade_timestamp)
            FROM {TradeTable.Name} WHERE {Filter}
            """);
        AddFilter(cmd, user, query.Exchange, null, query.StartDate, query.EndDate);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new TradeStats(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4), r.GetInt64(5), r.GetInt64(6),
            r.IsDBNull(7) ? null : Utc(r.GetDateTime(7)), r.IsDBNull(8) ? null : Utc(r.GetDateTime(8)));
    }
}
