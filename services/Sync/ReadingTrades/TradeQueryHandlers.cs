using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.Sync.Account;
using Bitcain.Sync.SyncingTrades;
using Npgsql;
using NpgsqlTypes;
using Wolverine;

namespace Bitcain.Sync.ReadingTrades;

/// <summary>The bus's way to the trade queries: who asks, then the query itself.</summary>
public static class TradeQueryHandler
{
    public static async Task<TradeList> Handle(GetTrades query, Envelope envelope, TradeTable table, CancellationToken ct)
    {
        var user = SyncUser.Of(envelope);
        if (user is null) return new TradeList([], 0);
        await table.EnsureCreatedAsync(ct);
        return await TradeQueries.ListAsync(table.Database, user, query, ct);
    }

    public static async Task<TradeStats> Handle(GetTradeStats query, Envelope envelope, TradeTable table, CancellationToken ct)
    {
        var user = SyncUser.Of(envelope);
        if (user is null) return new TradeStats(0, 0, 0, 0m, 0m, 0, 0, null, null);
        await table.EnsureCreatedAsync(ct);
        return await TradeQueries.StatsAsync(table.Database, user, query, ct);
    }
}

/// <summary>
/// Trade list and stats over the trade table, always filtered by the user. Every statement here walks
/// <see cref="TradeTable.ByTimeIndex"/> alone (an index-only scan once autovacuum has marked the pages visible), so their
/// cost follows the rows the user's filter matches, not the table's size.
/// </summary>
public static class TradeQueries
{
    private const string Filter = """
        tenant_id = $1 AND ($2::text IS NULL OR exchange = $2) AND ($3::text IS NULL OR symbol = $3 OR exchange_symbol = $3 OR replace(symbol, '/', '') = regexp_replace($3, '[-_/:]', '', 'g'))
        AND ($4::timestamptz IS NULL OR trade_timestamp >= $4) AND ($5::timestamptz IS NULL OR trade_timestamp <= $5)
        """;

    private static void AddFilter(NpgsqlParameterCollection parameters, string user, string? exchange, string? symbol, DateTimeOffset? start, DateTimeOffset? end)
    {
        parameters.Add(new NpgsqlParameter { Value = user });
        parameters.Add(new NpgsqlParameter { Value = (object?)exchange ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)symbol ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)start?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = (object?)end?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    /// <summary>
    /// One page, newest first, and the filter's total, in one round trip. The offset is walked over the index's keys alone
    /// and only the page's rows are read from the table: a deep page skips index entries, not table rows. The total is the
    /// user's count kept as trades are stored when only the exchange filters (<see cref="TradeTable.CountsName"/>), else its
    /// own count over the same index; a window count over the page query would read every matching row for each page.
    /// </summary>
    public static async Task<TradeList> ListAsync(NpgsqlDataSource db, string user, GetTrades query, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var page = new NpgsqlBatchCommand($"""
            WITH page AS (
                SELECT credential_id, exchange_symbol, exchange_trade_id, trade_timestamp
                FROM {TradeTable.Name} WHERE {Filter}
                ORDER BY trade_timestamp DESC, exchange_trade_id DESC
                LIMIT $6 OFFSET $7)
            SELECT t.id, t.exchange_trade_id, t.exchange, t.symbol, t.side, t.price, t.amount, t.cost, t.fee, t.fee_currency, t.trade_timestamp,
                   t.sync_status, t.created_at
            FROM page p JOIN {TradeTable.Name} t ON t.tenant_id = $1 AND t.credential_id = p.credential_id
                AND t.exchange_symbol = p.exchange_symbol AND t.exchange_trade_id = p.exchange_trade_id
            ORDER BY p.trade_timestamp DESC, p.exchange_trade_id DESC
            """);
        AddFilter(page.Parameters, user, query.Exchange, query.Symbol, query.StartDate, query.EndDate);
        // A bus client is not checked by the gateway: a negative LIMIT is a PostgreSQL error and a dead letter.
        page.Parameters.Add(new NpgsqlParameter { Value = QueryBounds.Limit(query.Limit) });
        page.Parameters.Add(new NpgsqlParameter { Value = QueryBounds.Offset(query.Offset) });
        NpgsqlBatchCommand count;
        if (query.Symbol is null && query.StartDate is null && query.EndDate is null)
        {
            // The user's kept count answers a filter by exchange alone; a symbol or a date range needs the rows themselves.
            count = new NpgsqlBatchCommand($"SELECT coalesce(sum(trades), 0)::bigint FROM {TradeTable.CountsName} WHERE tenant_id = $1 AND ($2::text IS NULL OR exchange = $2)");
            count.Parameters.Add(new NpgsqlParameter { Value = user });
            count.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Exchange ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }
        else
        {
            count = new NpgsqlBatchCommand($"SELECT count(*) FROM {TradeTable.Name} WHERE {Filter}");
            AddFilter(count.Parameters, user, query.Exchange, query.Symbol, query.StartDate, query.EndDate);
        }
        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(count);

        var trades = new List<StoredTrade>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            trades.Add(new StoredTrade(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDecimal(5), r.GetDecimal(6),
                r.GetDecimal(7), r.IsDBNull(8) ? null : r.GetDecimal(8), r.IsDBNull(9) ? null : r.GetString(9), Utc(r.GetDateTime(10)), r.GetString(11),
                Utc(r.GetDateTime(12))));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return new TradeList(trades, r.GetInt64(0));
    }

    /// <summary>One aggregate over the index, which carries every column it reads.</summary>
    public static async Task<TradeStats> StatsAsync(NpgsqlDataSource db, string user, GetTradeStats query, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT count(*), count(*) FILTER (WHERE side = 'buy'), count(*) FILTER (WHERE side = 'sell'),
                   coalesce(sum(cost), 0), coalesce(sum(fee), 0),
                   count(*) FILTER (WHERE sync_status = 'synced'), count(*) FILTER (WHERE sync_status = 'failed'),
                   min(trade_timestamp), max(trade_timestamp)
            FROM {TradeTable.Name} WHERE {Filter}
            """);
        AddFilter(cmd.Parameters, user, query.Exchange, null, query.StartDate, query.EndDate);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new TradeStats(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4), r.GetInt64(5), r.GetInt64(6),
            r.IsDBNull(7) ? null : Utc(r.GetDateTime(7)), r.IsDBNull(8) ? null : Utc(r.GetDateTime(8)));
    }
}
