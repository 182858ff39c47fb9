using System.Globalization;

namespace Bitcain.Bench;

/// <summary>
/// CPU seconds spent per process of the bench's suite, read from <c>/proc/&lt;pid&gt;/stat</c> (user + system): a figure
/// that survives a machine shared with other work, unlike wall time. PostgreSQL counts its postmaster, every live child
/// (the backends) and the children it has reaped; RabbitMQ its <c>beam.smp</c>; the bench's own process carries the
/// in-process exchange simulator.
/// </summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Snapshot(IReadOnlyDictionary<string, double> Seconds, DateTime At);

    /// <summary>CPU seconds so far per role: the suite's services by their folder, postgres, rabbitmq and the bench.</summary>
    /// <param name="serversFolder">The folder of this run's PostgreSQL and RabbitMQ (other runs may share the temp folder).</param>
    public static Snapshot Take(string repositoryRoot, string? serversFolder = null)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string role, double s) => seconds[role] = seconds.GetValueOrDefault(role) + s;
        if (!OperatingSystem.IsLinux()) return new Snapshot(seconds, DateTime.UtcNow);
        var temp = serversFolder ?? Path.GetTempPath();
        var stats = new List<(int Pid, int Parent, string Comm, double Own, double Reaped, string Cmd)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                var f = stat[(close + 2)..].Split(' ');
                // Fields after the name start at state (3): ppid 4, utime 14, stime 15, cutime 16, cstime 17.
                double Field(int n) => double.Parse(f[n - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                stats.Add((pid, int.Parse(f[1], CultureInfo.InvariantCulture), comm,
                    Field(14) + Field(15), Field(16) + Field(17), cmd));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        var postmasters = stats.Where(s => s.Comm == "postgres" && s.Cmd.Contains(temp, StringComparison.Ordinal)).Select(s => s.Pid).ToHashSet();
        foreach (var s in stats)
        {
            if (s.Pid == Environment.ProcessId) Add("bench + simulator", s.Own);
            else if (postmasters.Contains(s.Pid)) Add("postgres", s.Own + s.Reaped);
            else if (postmasters.Contains(s.Parent)) Add("postgres", s.Own);
            else if (s.Comm.StartsWith("beam.smp", StringComparison.Ordinal) && s.Cmd.Contains(temp, StringComparison.Ordinal)) Add("rabbitmq", s.Own);
            else if (s.Cmd.Contains(Path.Combine(repositoryRoot, "services") + "/", StringComparison.Ordinal))
            {
                var service = s.Cmd[(s.Cmd.IndexOf("/services/", StringComparison.Ordinal) + "/services/".Length)..].Split('/')[0];
                Add(service.ToLowerInvariant(), s.Own);
            }
        }
        return new Snapshot(seconds, DateTime.UtcNow);
    }

    /// <summary>CPU seconds per role between two snapshots, busiest first.</summary>
    public static IReadOnlyList<(string Role, double Seconds)> Between(Snapshot before, Snapshot after) =>
        after.Seconds.Select(a => (a.Key, a.Value - before.Seconds.GetValueOrDefault(a.Key))).OrderByDescending(x => x.Item2).ToList();

    /// <summary>The folder holding this PostgreSQL's data (and, from the test servers' starter, its RabbitMQ beside it).</summary>
    public static async Task<string?> ServersFolderAsync(string postgres)
    {
        await using var conn = new Npgsql.NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SHOW data_directory", conn);
        var data = (string?)await cmd.ExecuteScalarAsync();
        // <temp>/bitcain-tests/<run>/postgres/...: the run's folder.
        var marker = data?.IndexOf("/bitcain-tests/", StringComparison.Ordinal) ?? -1;
        if (marker < 0) return null;
        var end = data!.IndexOf('/', marker + "/bitcain-tests/".Length);
        return end < 0 ? data : data[..(end + 1)];
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bitcain.sln"))) return dir.FullName;
        throw new InvalidOperationException("Bitcain.sln not found above " + AppContext.BaseDirectory);
    }
}
