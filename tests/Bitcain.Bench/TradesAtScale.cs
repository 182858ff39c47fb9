using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Bitcain.Bench;

/// <summary>
/// Trade reads as the table grows: 10,000,000 trades across 100 users, 1,000,000 of them one user's, copied into the
/// running sync service's own table (it creates the table and its index on its first trade query), then the newest page,
/// a deep page and the stats through the gateway, each beside the bare SQL it needs run on the same database in the same
/// run. Seeding is a few minutes on a two-core machine; the loads are sequential requests.
/// </summary>
public static class TradesAtScale
{
    public const int Total = 10_000_000, OneUser = 1_000_000, Users = 100;
    private static readonly Guid Credential = Guid.Parse("5e1f0c3a-9d2b-4c47-8a11-3f0d6c2b7e90");
    private static readonly string[] Markets = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBBTC", "DOGEUSDT", "XRPUSDT"];
    private static readonly string[] Unified = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "BNB/BTC", "DOGE/USDT", "XRP/USDT"];

    public static async Task RunAsync(SuiteProcesses suite, string postgres, ResultTable table, int requests)
    {
        const string user = "bench-scale-big";
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", suite.TokenFor(user));
        // The first query makes the service create its table and index, as in any deployment; the rows come after.
        // On a busy machine the services' first answer can outlast the gateway's wait: ask again.
        for (var attempt = 1; !(await http.GetAsync(suite.GatewayUrl + "/api/exchange/trades/stats")).IsSuccessStatusCode; attempt++)
            if (attempt == 10) throw new InvalidOperationException("the sync service never answered a trade query");
        await SeedAsync(postgres, user);

        var newest = suite.GatewayUrl + "/api/exchange/trades?exchange=binance&limit=100";
        var deep = suite.GatewayUrl + "/api/exchange/trades?exchange=binance&limit=100&offset=100000";
        var stats = suite.GatewayUrl + "/api/exchange/trades/stats?exchange=binance";
        var total = (await http.GetFromJsonAsync<JsonElement>(newest)).GetProperty("total_records").GetInt64();
        Console.WriteLine($"bench: {user} has {total} binance trades of {Total} in the table");

        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        var bareNewest = await SqlAsync(conn, "bare SQL: newest 100 rows + count", """
            SELECT * FROM sync.trades WHERE tenant_id = $1 AND exchange = 'binance' ORDER BY trade_timestamp DESC, exchange_trade_id DESC LIMIT 100;
            SELECT count(*) FROM sync.trades WHERE tenant_id = $1 AND exchange = 'binance'
            """, user, requests);
        var bareDeep = await SqlAsync(conn, "bare SQL: 100 rows at offset 100,000 + count", """
            SELECT * FROM sync.trades WHERE tenant_id = $1 AND exchange = 'binance' ORDER BY trade_timestamp DESC, exchange_trade_id DESC LIMIT 100 OFFSET 100000;
            SELECT count(*) FROM sync.trades WHERE tenant_id = $1 AND exchange = 'binance'
            """, user, requests);
        var bareStats = await SqlAsync(conn, "bare SQL: count, sum(cost), sum(fee)",
            "SELECT count(*), sum(cost), sum(fee) FROM sync.trades WHERE tenant_id = $1 AND exchange = 'binance'", user, requests);
        var countOnly = await SqlAsync(conn, "bare SQL: count alone", "SELECT count(*) FROM sync.trades WHERE tenant_id = $1 AND exchange = 'binance'", user, requests);
        var gatewayNewest = await GatewayAsync(http, "GET /trades newest page, 1M trades (gateway)", newest, requests);
        var gatewayDeep = await GatewayAsync(http, "GET /trades offset 100,000, 1M trades (gateway)", deep, requests);
        var gatewayStats = await GatewayAsync(http, "GET /trades/stats, 1M trades (gateway)", stats, requests);
        table.AddLatency(gatewayNewest, bareNewest);
        table.AddLatency(gatewayDeep, bareDeep);
        table.AddLatency(gatewayDeep, gatewayNewest);
        table.WithGoal(1, "issue #17: a deep page no slower than the first");
        table.AddLatency(gatewayStats, bareStats);
        table.WithGoal(2, "issue #17: stats within 2x of a bare aggregate over the same rows");
        table.AddLatency(gatewayNewest, countOnly);
    }

    /// <summary>Binary COPY straight into the service's table, then VACUUM ANALYZE as autovacuum would after a load. The
    /// table's key and index, as the service made them, are set aside during the COPY and built again after it: one sorted
    /// build instead of ten million insertions (757 s on this machine with them in place).</summary>
    private static async Task SeedAsync(string postgres, string bigUser)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        var clock = Stopwatch.StartNew();
        var rebuild = new List<string>();
        await using (var read = new NpgsqlCommand("""
            SELECT 'ALTER TABLE sync.trades ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid), 'ALTER TABLE sync.trades DROP CONSTRAINT ' || quote_ident(conname)
            FROM pg_constraint WHERE conrelid = 'sync.trades'::regclass AND contype = 'p'
            UNION ALL
            SELECT indexdef, 'DROP INDEX sync.' || quote_ident(indexname) FROM pg_indexes
            WHERE schemaname = 'sync' AND tablename = 'trades' AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'sync.trades'::regclass)
            """, conn))
        {
            var drops = new List<string>();
            await using (var reader = await read.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                {
                    rebuild.Add(reader.GetString(0));
                    drops.Add(reader.GetString(1));
                }
            foreach (var drop in drops)
                await using (var command = new NpgsqlCommand(drop, conn)) await command.ExecuteNonQueryAsync();
        }
        var epoch = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var now = DateTime.UtcNow;
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY sync.trades (tenant_id, credential_id, exchange_symbol, exchange_trade_id, id, exchange, symbol, side, price, amount, cost, fee,
                fee_currency, trade_timestamp, sync_status, created_at) FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < Total; i++)
            {
                // Every tenth row the big user's, so its rows are spread over the table as syncs of many users would leave them.
                var big = i % (Total / OneUser) == 0;
                var user = big ? bigUser : $"bench-scale-{i % Users:000}";
                var market = i % Markets.Length;
                await copy.StartRowAsync();
                await copy.WriteAsync(user, NpgsqlDbType.Text);
                await copy.WriteAsync(Credential, NpgsqlDbType.Uuid);
                await copy.WriteAsync(Markets[market], NpgsqlDbType.Text);
                await copy.WriteAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync("binance", NpgsqlDbType.Text);
                await copy.WriteAsync(Unified[market], NpgsqlDbType.Text);
                await copy.WriteAsync(i % 3 == 0 ? "sell" : "buy", NpgsqlDbType.Text);
                await copy.WriteAsync(30_000m + i % 997, NpgsqlDbType.Numeric);
                await copy.WriteAsync(0.0125m, NpgsqlDbType.Numeric);
                await copy.WriteAsync((30_000m + i % 997) * 0.0125m, NpgsqlDbType.Numeric);
                await copy.WriteAsync(0.0001m, NpgsqlDbType.Numeric);
                await copy.WriteAsync("BNB", NpgsqlDbType.Text);
                await copy.WriteAsync(epoch.AddSeconds(-i * 3L), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("synced", NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        Console.WriteLine($"bench: {Total} trades copied in {clock.Elapsed.TotalSeconds:0} s");
        clock.Restart();
        foreach (var statement in rebuild)
            await using (var command = new NpgsqlCommand(statement, conn) { CommandTimeout = 0 }) await command.ExecuteNonQueryAsync();
        Console.WriteLine($"bench: key and index built again in {clock.Elapsed.TotalSeconds:0} s");
        clock.Restart();
        // Rows copied past the service are counted as its first-use migration counts a deployment's existing trades.
        await using (var count = new NpgsqlCommand("""
            INSERT INTO sync.trade_counts (tenant_id, exchange, trades)
            SELECT tenant_id, exchange, count(*) FROM sync.trades GROUP BY tenant_id, exchange
            ON CONFLICT (tenant_id, exchange) DO UPDATE SET trades = excluded.trades
            """, conn) { CommandTimeout = 0 })
            await count.ExecuteNonQueryAsync();
        Console.WriteLine($"bench: the users' trade counts filled in {clock.Elapsed.TotalSeconds:0} s");
        clock.Restart();
        // A snapshot older than the COPY (any service's statement running across it) keeps VACUUM from marking the pages
        // all-visible, and then index-only scans read the table too: vacuum again until they are.
        double visible = 0;
        for (var attempt = 1; attempt <= 5 && visible < 0.99; attempt++)
        {
            if (attempt > 1) await Task.Delay(TimeSpan.FromSeconds(5));
            await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE sync.trades", conn) { CommandTimeout = 0 }) await vacuum.ExecuteNonQueryAsync();
            await using var share = new NpgsqlCommand("SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class WHERE oid = 'sync.trades'::regclass", conn);
            visible = (double)(await share.ExecuteScalarAsync())!;
        }
        Console.WriteLine($"bench: VACUUM ANALYZE in {clock.Elapsed.TotalSeconds:0} s, {visible:P0} of the table's pages all-visible");
    }

    private static async Task<Measurement> GatewayAsync(HttpClient http, string name, string url, int requests)
    {
        (await http.GetAsync(url)).EnsureSuccessStatusCode();
        var times = Measurement.NewHistogram();
        var all = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            times.RecordValue(clock.Elapsed.Ticks);
        }
        return new Measurement(name, requests, 0, all.Elapsed, times);
    }

    private static async Task<Measurement> SqlAsync(NpgsqlConnection conn, string name, string sql, string user, int requests)
    {
        async Task Once()
        {
            // One round trip, as the service makes it: each statement of the batch with its own parameter.
            await using var batch = new NpgsqlBatch(conn) { Timeout = 0 };
            foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var command = new NpgsqlBatchCommand(statement);
                command.Parameters.Add(new NpgsqlParameter { Value = user });
                batch.BatchCommands.Add(command);
            }
            await using var reader = await batch.ExecuteReaderAsync();
            do { while (await reader.ReadAsync()) { } } while (await reader.NextResultAsync());
        }
        await Once();
        var times = Measurement.NewHistogram();
        var all = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            await Once();
            times.RecordValue(clock.Elapsed.Ticks);
        }
        return new Measurement(name, requests, 0, all.Elapsed, times);
    }
}
