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

    /// <summary>The markets the simulator's load account traded (all of its trades).</summary>
    private static readonly string[] LoadMarkets = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "BNB/BTC", "DOGE/USDT", "XRP/USDT"];

    public sealed record Result(double SyncPerSecond, double CopyPerSecond, long Trades, TimeSpan Sync, TimeSpan Copy, long Calls, TimeSpan KeyedCopy = default)
    {
        /// <summary>CPU seconds each process spent during the syncs (the simulator's in the bench's own).</summary>
        public IReadOnlyList<(string Role, double Seconds)> Cpu { get; init; } = [];
    }

    /// <summary>The load account's markets named one sync each: the storing path's rate, since the ~100 pages fit in one
    /// minute of Binance's request weight (20 per call, 6,000 per minute).</summary>
    public static async Task<Result> ByMarketAsync(SuiteProcesses suite, RunningSimulator simulator, string postgres)
    {
        if (Environment.GetEnvironmentVariable("BENCH_INGEST_WARM") == "1")
        {
            // A long-running service has compiled its hot paths long ago: one market synced for another user first, untimed,
            // so the figure is the steady state's rather than the JIT's (both are reported: run with and without).
            var (warm, _) = await LoadAccountAsync(suite, simulator, "bench-ingest-warm-");
            await warm.PostAsync(suite.GatewayUrl + "/api/exchange/trades/sync?exchange=binance&limit=1000&symbol=" + Uri.EscapeDataString(LoadMarkets[^1]), null);
            Console.WriteLine("bench: services warmed by one untimed market sync of another user");
        }
        var (http, user) = await LoadAccountAsync(suite, simulator, "bench-ingest-");
        var calls = simulator.Requests.Count("binance", "/api/v3/myTrades");
        var root = ProcessCpu.RepositoryRoot();
        var servers = await ProcessCpu.ServersFolderAsync(postgres);
        await using var trace = await SyncTrace.StartAsync(root);
        var cpuBefore = ProcessCpu.Take(root, servers);
        var clock = Stopwatch.StartNew();
        // Each answers when its sync is done or after the gateway's wait; the next waits for the account's running sync.
        foreach (var market in LoadMarkets)
            await http.PostAsync(suite.GatewayUrl + $"/api/exchange/trades/sync?exchange=binance&limit=1000&symbol={Uri.EscapeDataString(market)}", null);
        var trades = await WaitForTradesAsync(suite, http, clock);
        var syncElapsed = clock.Elapsed;
        var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Take(root, servers));
        await trace.DisposeAsync();
        calls = simulator.Requests.Count("binance", "/api/v3/myTrades") - calls;
        Console.WriteLine($"bench: trade syncs of the load account's {LoadMarkets.Length} markets: {trades} trades in {syncElapsed.TotalSeconds:0.0} s, {calls} myTrades calls");
        Console.WriteLine("bench: CPU during the syncs, per process (ms per myTrades page): "
            + string.Join(", ", cpu.Select(c => $"{c.Role} {c.Seconds:0.00} s ({c.Seconds * 1000 / Math.Max(1, calls):0.0})")));
        var copy = await CopySameRowsAsync(postgres, user);
        return new Result(trades / syncElapsed.TotalSeconds, trades / copy.Bare.TotalSeconds, trades, syncElapsed, copy.Bare, calls, copy.Keyed) { Cpu = cpu };
    }

    /// <summary>The contract's default sync: no symbol, so every market the account's assets trade in is asked (most of
    /// them empty), within Binance's request weight. Its floor is the exchange's budget, not the storing.</summary>
    public static async Task<Result> WholeAccountAsync(SuiteProcesses suite, RunningSimulator simulator)
    {
        var (http, _) = await LoadAccountAsync(suite, simulator, "bench-ingest-all-");
        var calls = simulator.Requests.Count("binance", "/api/v3/myTrades");
        var clock = Stopwatch.StartNew();
        await http.PostAsync(suite.GatewayUrl + "/api/exchange/trades/sync?exchange=binance&limit=1000", null);
        var trades = await WaitForTradesAsync(suite, http, clock);
        var syncElapsed = clock.Elapsed;
        calls = simulator.Requests.Count("binance", "/api/v3/myTrades") - calls;
        Console.WriteLine($"bench: symbol-less trade sync of the load account: {trades} trades in {syncElapsed.TotalSeconds:0.0} s, {calls} myTrades calls "
            + "(20 weight each, 6,000 per minute: Binance allows 300 a minute)");
        return new Result(trades / syncElapsed.TotalSeconds, 0, trades, syncElapsed, TimeSpan.Zero, calls);
    }

    private static async Task<(HttpClient Http, string User)> LoadAccountAsync(SuiteProcesses suite, RunningSimulator simulator, string prefix)
    {
        var user = prefix + Guid.NewGuid().ToString("N")[..8];
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", suite.TokenFor(user));
        var load = simulator.Account("binance", "load");
        for (var attempt = 1; ; attempt++)
        {
            // A busy machine can make the first store outlast the gateway's wait (504, applied later): then it is a 409.
            var stored = await http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", new
            {
                exchange_name = "binance", credential_name = "load", api_key = load.ApiKey, api_secret = load.ApiSecret, permissions = new[] { "read", "trade" },
            });
            if ((int)stored.StatusCode is 201 or 409) break;
            // Under a saturated machine (load near 60 on two cores) three waits were not enough: keep asking, a little apart.
            if (attempt == 10) throw new InvalidOperationException($"storing the load credential failed: {(int)stored.StatusCode}");
            await Task.Delay(TimeSpan.FromSeconds(2 * attempt));
        }
        return (http, user);
    }

    private static async Task<long> WaitForTradesAsync(SuiteProcesses suite, HttpClient http, Stopwatch clock)
    {
        long trades = 0;
        while (trades < LoadTrades && clock.Elapsed < TimeSpan.FromMinutes(15))
        {
            var stats = await http.GetFromJsonAsync<JsonElement>(suite.GatewayUrl + "/api/exchange/trades/stats?exchange=binance");
            trades = stats.GetProperty("total_trades").GetInt64();
            if (trades < LoadTrades) await Task.Delay(100);
        }
        return trades;
    }

    /// <summary>The rows the sync stored, read into memory first, then timed: one binary COPY into an unindexed twin table,
    /// and one into a twin with the trade table's own key and index (what storing them costs PostgreSQL at best).</summary>
    private static async Task<(TimeSpan Bare, TimeSpan Keyed)> CopySameRowsAsync(string postgres, string user)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        const string columns = "tenant_id, credential_id, exchange_symbol, exchange_trade_id, id, exchange, symbol, side, price, amount, cost, fee, fee_currency, trade_timestamp, sync_status, created_at";
        var rows = new List<object?[]>();
        await using (var read = new NpgsqlCommand($"SELECT {columns} FROM sync.trades WHERE tenant_id = $1", conn))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = user });
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new object?[16];
                reader.GetValues(row!);
                rows.Add(row);
            }
        }
        var bare = await CopyAsync(conn, rows, "bench_trades_copy", "(LIKE sync.trades)", columns);
        var keyed = await CopyAsync(conn, rows, "bench_trades_keyed", "(LIKE sync.trades INCLUDING INDEXES)", columns);
        Console.WriteLine($"bench: COPY of the same {rows.Count} rows: {bare.TotalSeconds:0.00} s unindexed, {keyed.TotalSeconds:0.00} s with the trade table's key and index");
        return (bare, keyed);
    }

    private static async Task<TimeSpan> CopyAsync(NpgsqlConnection conn, List<object?[]> rows, string twin, string shape, string columns)
    {
        await using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS {twin}; CREATE TABLE {twin} {shape}", conn))
            await create.ExecuteNonQueryAsync();
        var clock = Stopwatch.StartNew();
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY {twin} ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null or DBNull) await copy.WriteNullAsync();
                    else if (row[i] is decimal d) await copy.WriteAsync(d, NpgsqlDbType.Numeric);
                    else if (row[i] is DateTime t) await copy.WriteAsync(t, NpgsqlDbType.TimestampTz);
                    else if (row[i] is Guid g) await copy.WriteAsync(g, NpgsqlDbType.Uuid);
                    else await copy.WriteAsync((string)row[i]!, NpgsqlDbType.Text);
                }
            }
            await copy.CompleteAsync();
        }
        var elapsed = clock.Elapsed;
        await using (var drop = new NpgsqlCommand($"DROP TABLE {twin}", conn)) await drop.ExecuteNonQueryAsync();
        return elapsed;
    }
}

/// <summary><c>BENCH_TRACE_SYNC=file.nettrace</c>: a <c>dotnet-trace</c> sampling (thread stacks at ~100 Hz) of the sync service over the syncs alone.</summary>
internal sealed class SyncTrace : IAsyncDisposable
{
    private Process? _process;

    public static async Task<SyncTrace> StartAsync(string root)
    {
        var trace = new SyncTrace();
        var output = Environment.GetEnvironmentVariable("BENCH_TRACE_SYNC");
        if (string.IsNullOrEmpty(output)) return trace;
        var pid = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _))
            .FirstOrDefault(d => { try { return File.ReadAllText($"/proc/{d}/cmdline").Contains(Path.Combine(root, "services", "Sync") + "/"); } catch (IOException) { return false; } });
        if (pid is null) return trace;
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        trace._process = Process.Start(new ProcessStartInfo(tool, ["collect", "-p", pid, "--profile", "dotnet-sampled-thread-time", "-o", output])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        });
        trace._process!.OutputDataReceived += (_, _) => { };
        trace._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[dotnet-trace] " + e.Data); };
        trace._process.BeginOutputReadLine();
        trace._process.BeginErrorReadLine();
        await Task.Delay(TimeSpan.FromSeconds(3));
        return trace;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        var process = _process;
        _process = null;
        // dotnet-trace stops on Ctrl+C (SIGINT) and then finishes its file; it reads no keys from a redirected input.
        Bitcain.LocalServers.UnixProcess.Signal(process.Id, 2);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Console.WriteLine($"bench: sync service trace in {Environment.GetEnvironmentVariable("BENCH_TRACE_SYNC")}");
    }
}
