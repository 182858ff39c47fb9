using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bitcain.ExchangeSimulator;
using Npgsql;
using NpgsqlTypes;

namespace Bitcain.Bench;

/// <summary>
/// Trade ingest end to end: a trade sync of the simulator's load account (100,000+ trades over six Binance symbols)
/// through the gateway, broker and sync service into PostgreSQL, beside a plain binary COPY of the same rows.
/// </summary>
public static class TradeIngest
{
    public const int LoadTrades = 100_000;

    public static async Task<(double SyncPerSecond, double CopyPerSecond, long Trades, TimeSpan Sync, TimeSpan Copy)> RunAsync(
        SuiteProcesses suite, RunningSimulator simulator, string postgres)
    {
        var user = "bench-ingest-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", suite.TokenFor(user));
        var load = simulator.Account("binance", "load");
        var stored = await http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", new
        {
            exchange_name = "binance", credential_name = "load", api_key = load.ApiKey, api_secret = load.ApiSecret, permissions = new[] { "read", "trade" },
        });
        if ((int)stored.StatusCode != 201) throw new InvalidOperationException($"storing the load credential failed: {(int)stored.StatusCode}");

        var clock = Stopwatch.StartNew();
        await http.PostAsync(suite.GatewayUrl + "/api/exchange/trades/sync?exchange=binance&limit=1000", null);
        long trades = 0;
        while (trades < LoadTrades && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            var stats = await http.GetFromJsonAsync<JsonElement>(suite.GatewayUrl + "/api/exchange/trades/stats?exchange=binance");
            trades = stats.GetProperty("total_trades").GetInt64();
            if (trades < LoadTrades) await Task.Delay(100);
        }
        var syncElapsed = clock.Elapsed;
        Console.WriteLine($"bench: trade sync of the load account: {trades} trades in {syncElapsed.TotalSeconds:0.0} s");

        var copyElapsed = await CopySameRowsAsync(postgres, user);
        return (trades / syncElapsed.TotalSeconds, trades / copyElapsed.TotalSeconds, trades, syncElapsed, copyElapsed);
    }

    /// <summary>The rows the sync stored, read into memory first, then timed: one binary COPY into an unindexed twin table.</summary>
    private static async Task<TimeSpan> CopySameRowsAsync(string postgres, string user)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        var rows = new List<object?[]>();
        await using (var read = new NpgsqlCommand("SELECT exchange_symbol, exchange_trade_id, symbol, side, price, amount, cost, fee, fee_currency, trade_timestamp FROM sync.trades WHERE tenant_id = $1", conn))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = user });
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new object?[10];
                reader.GetValues(row!);
                rows.Add(row);
            }
        }
        await using (var create = new NpgsqlCommand("""
            DROP TABLE IF EXISTS bench_trades_copy;
            CREATE TABLE bench_trades_copy (exchange_symbol text, exchange_trade_id text, symbol text, side text, price numeric, amount numeric,
                cost numeric, fee numeric, fee_currency text, trade_timestamp timestamptz)
            """, conn))
            await create.ExecuteNonQueryAsync();

        var clock = Stopwatch.StartNew();
        await using (var copy = await conn.BeginBinaryImportAsync("COPY bench_trades_copy FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null or DBNull) await copy.WriteNullAsync();
                    else if (row[i] is decimal d) await copy.WriteAsync(d, NpgsqlDbType.Numeric);
                    else if (row[i] is DateTime t) await copy.WriteAsync(t, NpgsqlDbType.TimestampTz);
                    else await copy.WriteAsync((string)row[i]!, NpgsqlDbType.Text);
                }
            }
            await copy.CompleteAsync();
        }
        var elapsed = clock.Elapsed;
        Console.WriteLine($"bench: COPY of the same {rows.Count} rows: {elapsed.TotalSeconds:0.00} s");
        await using (var drop = new NpgsqlCommand("DROP TABLE bench_trades_copy", conn)) await drop.ExecuteNonQueryAsync();
        return elapsed;
    }
}
