using System.Globalization;
using System.Runtime.InteropServices;
using Bitcain.Contracts.Credentials;
using Npgsql;

namespace Bitcain.Bench;

/// <summary>
/// <c>--read-path --cpu</c>: CPU milliseconds per request, per process, for the credentials read and its ceiling, read from
/// <c>/proc/&lt;pid&gt;/stat</c> around each load. Unlike req/s, CPU per request hardly moves when other work shares the
/// cores, so it says where a read's cost goes on a busy machine too. The bench process runs the load generator (and the
/// ceiling's bare Kestrel during the ceiling's load); PostgreSQL is its postmaster and every backend.
/// </summary>
public static class ReadPathCpu
{
    public static async Task RunAsync(SuiteProcesses suite, string postgres, string bareUrl, string user, BenchOptions options)
    {
        var postmaster = await PostmasterPidAsync(postgres);
        var groups = new (string Name, Func<long> Ticks)[]
        {
            ("bench", () => Ticks(Environment.ProcessId, withReapedChildren: false)),
            ("gateway", () => Ticks(suite.PidOf("Gateway"), withReapedChildren: false)),
            ("credentials", () => Ticks(suite.PidOf("Credentials"), withReapedChildren: false)),
            ("postgres", () => TreeTicks(postmaster)),
        };
        Console.WriteLine($"bench: cpu: gateway pid {suite.PidOf("Gateway")}, credentials pid {suite.PidOf("Credentials")}, postmaster pid {postmaster}");

        var token = suite.TokenFor(user);
        var loads = new (string Name, Func<Task<Measurement>> Run)[]
        {
            ("bare Kestrel + 1 Npgsql query", () => Load.ClosedLoopAsync("bare Kestrel + 1 Npgsql query", bareUrl + "/credentials?user=" + user, null, Measured(options))),
            ("bare Kestrel + the service's SQL (ORDER BY CreatedAt)", () => Load.ClosedLoopAsync("bare Kestrel + the service's SQL", bareUrl + "/credentials-ordered?user=" + user, null, Measured(options))),
            ("gateway, service's body forwarded", () => Load.ClosedLoopAsync("GET /api/exchange/credentials (gateway)", suite.GatewayUrl + "/api/exchange/credentials", token, Measured(options))),
            ("credentials service alone, ES256 assertion", () => ReadPathLoads.ServiceQueryAsync("credentials service alone (written, ES256)", suite.ServiceUrl("credentials"),
                CredentialResponseQueries.List, user, Measured(options))),
            ("credentials service alone, HS256 pair-key assertion", () => ReadPathLoads.ServiceQueryAsync("credentials service alone (written, HS256 pair key)",
                suite.ServiceUrl("credentials"), CredentialResponseQueries.List, user, Measured(options), pairKey: true)),
        };

        var rows = new List<string>();
        foreach (var (name, run) in loads)
        {
            // Warm first (JIT, pools, connections), then count only the measured load's requests against its CPU.
            await WarmAsync(run, options);
            var before = groups.Select(g => g.Ticks()).ToArray();
            var m = await run();
            var after = groups.Select(g => g.Ticks()).ToArray();
            var perRequest = before.Select((b, i) => (after[i] - b) * 1000.0 / ClockTicksPerSecond / Math.Max(1, m.Requests)).ToArray();
            var servers = perRequest.Skip(1).Sum();
            rows.Add($"| {name} | {m.PerSecond:0} | {m.P50Ms:0.0} | " + string.Join(" | ", perRequest.Select(Ms)) + $" | {Ms(servers)} |");
        }

        Console.WriteLine();
        Console.WriteLine($"CPU ms per request ({options.Concurrency} clients, {options.Duration.TotalSeconds:0} s each, load average {Load1()} at the end; " +
                          "servers = gateway + credentials + postgres; the ceiling's own server runs inside the bench process):");
        Console.WriteLine("| load | req/s | p50 ms | bench | gateway | credentials | postgres | servers |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows) Console.WriteLine(row);
    }

    private static BenchOptions Measured(BenchOptions options) => options with { Warmup = TimeSpan.Zero };

    private static Task WarmAsync(Func<Task<Measurement>> run, BenchOptions options) => options.Warmup > TimeSpan.Zero ? run() : Task.CompletedTask;

    private static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Load1() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task<int> PostmasterPidAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select setting from pg_settings where name = 'data_directory'", connection);
        var dataDirectory = (string)(await command.ExecuteScalarAsync())!;
        return int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    }

    /// <summary>The postmaster, its live backends, and (through the postmaster's reaped-children counters) those that exited.</summary>
    private static long TreeTicks(int root)
    {
        var total = Ticks(root, withReapedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == root) continue;
            if (Stat(pid) is { } fields && fields[1] == root.ToString(CultureInfo.InvariantCulture)) total += Ticks(pid, withReapedChildren: false);
        }
        return total;
    }

    private static long Ticks(int pid, bool withReapedChildren)
    {
        if (Stat(pid) is not { } f) return 0;
        // After the command's closing parenthesis: state is field 3; utime 14, stime 15, cutime 16, cstime 17.
        var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        if (withReapedChildren) ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
        return ticks;
    }

    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static readonly long ClockTicksPerSecond = sysconf(2 /* _SC_CLK_TCK */);

    [DllImport("libc")]
    private static extern long sysconf(int name);
}
