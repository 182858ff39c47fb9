using System.Globalization;

namespace Bitcain.Bench;

/// <summary>
/// CPU time per command per process during a load, read from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime, and the
/// cutime + cstime of reaped children) before and after it. On a shared machine throughput follows whoever else
/// builds; the CPU a store burns in each process does not, so this is the figure to cut against.
/// </summary>
public static class CpuPerCommand
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    /// <summary>CPU seconds so far, per process group: the named processes, this bench process, and the private
    /// PostgreSQL (postmaster and every backend) and RabbitMQ (beam.smp and its helpers) under this run's temp folder.</summary>
    public static Dictionary<string, double> Snapshot(IEnumerable<(string Name, int Pid)> named)
    {
        var totals = new Dictionary<string, double>();
        void Add(string group, double seconds) => totals[group] = totals.GetValueOrDefault(group) + seconds;

        foreach (var (name, pid) in named)
            if (Read(pid) is { } stat) Add(name, stat.Own);
        if (Read(Environment.ProcessId) is { } self) Add("bench process", self.Own);

        // Only the servers this run started: their command lines name folders under our temp folder.
        var root = Path.Combine(Path.GetTempPath(), "bitcain-tests");
        var all = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(p => p > 0)
            .Select(pid => (Pid: pid, Stat: Read(pid), Command: CommandLine(pid))).Where(p => p.Stat is not null).ToList();
        var postmasters = all.Where(p => p.Command.Contains("postgres -D " + root, StringComparison.Ordinal)).Select(p => p.Pid).ToHashSet();
        var brokers = all.Where(p => p.Command.Contains("beam.smp", StringComparison.Ordinal) && p.Command.Contains(root, StringComparison.Ordinal))
            .Select(p => p.Pid).ToHashSet();
        foreach (var p in all)
        {
            if (postmasters.Contains(p.Pid)) Add("postgres", p.Stat!.Own + p.Stat.Children);
            else if (postmasters.Contains(p.Stat!.Parent)) Add("postgres", p.Stat.Own);
            else if (brokers.Contains(p.Pid)) Add("rabbitmq", p.Stat.Own + p.Stat.Children);
            else if (brokers.Contains(p.Stat.Parent)) Add("rabbitmq", p.Stat.Own);
        }
        return totals;
    }

    /// <summary>
    /// Runs a load between two snapshots, each taken once the machine's processes of this run are quiet, so the work a
    /// load leaves behind (background validation draining, outbox rows deleted) is counted against it; divided by every
    /// command the load sent, its warm-up included (whose leftovers land in the window too).
    /// </summary>
    public static async Task<(T Result, string Detail, double TotalMs)> AroundAsync<T>(
        IReadOnlyList<(string Name, int Pid)> named, Func<Task<T>> load, Func<long> commandsSent, string? postgres = null)
    {
        await QuietAsync(named);
        // What the processes burn doing nothing (polling agents, timers), per second: subtracted below, so the figure is
        // what the load itself costs, and a short load is not charged the same idle seconds as a long one.
        var idleFrom = Snapshot(named);
        var idleClock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(3000);
        var idleTo = Snapshot(named);
        var idleSeconds = idleClock.Elapsed.TotalSeconds;
        var idlePerSecond = idleTo.ToDictionary(kv => kv.Key, kv => Math.Max(0, kv.Value - idleFrom.GetValueOrDefault(kv.Key)) / idleSeconds);
        Console.WriteLine($"bench: load starts; pids {string.Join(", ", named.Select(n => $"{n.Name} {n.Pid}"))}, bench {Environment.ProcessId}");
        var before = Snapshot(named);
        var rowsBefore = postgres is null ? null : await TableActivityAsync(postgres);
        var sentBefore = commandsSent();
        // BENCH_LOG_SQL=1: every statement of the load in the private server's log (run/server.log), to count round trips.
        var logSql = postgres is not null && Environment.GetEnvironmentVariable("BENCH_LOG_SQL") == "1";
        if (logSql) await SetStatementLoggingAsync(postgres!, "0");
        var window = System.Diagnostics.Stopwatch.StartNew();
        var result = await load();
        if (logSql) await SetStatementLoggingAsync(postgres!, "-1");
        await QuietAsync(named);
        var after = Snapshot(named);
        var elapsed = window.Elapsed.TotalSeconds;
        var commands = commandsSent() - sentBefore;
        var raw = Describe(before, after, commands);
        // The bench process is the load generator (and the floor itself): its idle rate is not subtracted.
        var net = after.ToDictionary(kv => kv.Key, kv => kv.Key == "bench process" ? kv.Value
            : Math.Max(before.GetValueOrDefault(kv.Key), kv.Value - idlePerSecond.GetValueOrDefault(kv.Key) * elapsed));
        var detail = Describe(before, net, commands);
        Console.WriteLine($"bench: CPU: {detail}, {commands} commands in {elapsed:0.0} s, idle rates subtracted " +
                          $"({string.Join(", ", idlePerSecond.Where(kv => kv.Value > 0.0005).Select(kv => $"{kv.Key} {kv.Value * 1000:0} ms/s"))}); without: {raw}");
        if (postgres is not null)
        {
            var rowsAfter = await TableActivityAsync(postgres);
            var per = rowsAfter.Select(kv => (kv.Key, Delta: kv.Value.Zip(rowsBefore!.GetValueOrDefault(kv.Key, new long[kv.Value.Length]), (a, b) => (a - b) / (double)Math.Max(commands, 1)).ToArray()))
                .Where(t => t.Delta.Any(d => d >= 0.01)).OrderBy(t => t.Key).ToList();
            foreach (var (table, d) in per)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: per command {table}: {d[0]:0.00} inserted, {d[1]:0.00} updated, {d[2]:0.00} deleted, {d[3]:0.00} index scans, {d[4]:0.00} seq scans"));
        }
        return (result, detail, TotalMs(before, net, commands, withoutBench: false));
    }

    /// <summary>Rows inserted, updated, deleted and scans per table of the database, and its commits: what a command costs PostgreSQL.</summary>
    private static async Task<Dictionary<string, long[]>> TableActivityAsync(string postgres)
    {
        var result = new Dictionary<string, long[]>();
        await using var connection = new Npgsql.NpgsqlConnection(postgres);
        await connection.OpenAsync();
        // The statistics collector publishes with a delay; a fresh snapshot is asked for.
        await using (var clear = new Npgsql.NpgsqlCommand("select pg_stat_clear_snapshot()", connection)) await clear.ExecuteNonQueryAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            select schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del, coalesce(idx_scan, 0), seq_scan from pg_stat_user_tables
            union all select '(database) commits, rollbacks', xact_commit, xact_rollback, 0, 0, 0 from pg_stat_database where datname = current_database()
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result[reader.GetString(0)] = [reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)];
        return result;
    }

    private static async Task SetStatementLoggingAsync(string postgres, string minDuration)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using (var set = new Npgsql.NpgsqlCommand($"alter system set log_min_duration_statement = {minDuration}", connection)) await set.ExecuteNonQueryAsync();
        await using (var reload = new Npgsql.NpgsqlCommand("select pg_reload_conf()", connection)) await reload.ExecuteNonQueryAsync();
    }

    /// <summary>Waits (at most a minute) until the servers and services use less than a tenth of a core.</summary>
    private static async Task QuietAsync(IReadOnlyList<(string Name, int Pid)> named)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        var last = Snapshot(named);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var now = Snapshot(named);
            var busy = now.Where(kv => kv.Key != "bench process").Sum(kv => kv.Value - last.GetValueOrDefault(kv.Key));
            last = now;
            if (busy < 0.1) return;
        }
    }

    /// <summary>Milliseconds of CPU per command in each group between two snapshots.</summary>
    public static string Describe(Dictionary<string, double> before, Dictionary<string, double> after, long commands)
    {
        var parts = after.Select(kv => (kv.Key, Ms: (kv.Value - before.GetValueOrDefault(kv.Key)) * 1000 / Math.Max(commands, 1)))
            .Where(p => p.Ms > 0.005).OrderByDescending(p => p.Ms).ToList();
        var total = parts.Sum(p => p.Ms);
        return string.Create(CultureInfo.InvariantCulture,
            $"{total:0.00} ms CPU per command ({string.Join(", ", parts.Select(p => $"{p.Key} {p.Ms:0.00}"))})");
    }

    /// <summary>Total CPU ms per command between two snapshots, without the load generator (this process) when asked.</summary>
    public static double TotalMs(Dictionary<string, double> before, Dictionary<string, double> after, long commands, bool withoutBench) =>
        after.Where(kv => !withoutBench || kv.Key != "bench process")
            .Sum(kv => kv.Value - before.GetValueOrDefault(kv.Key)) * 1000 / Math.Max(commands, 1);

    private sealed record Stat(int Parent, double Own, double Children);

    private static Stat? Read(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces and parentheses: the fields start after its last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            double Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
            return new Stat(int.Parse(fields[1], CultureInfo.InvariantCulture), Field(14) + Field(15), Field(16) + Field(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
