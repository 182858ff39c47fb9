using Bitcain.LocalServers;

namespace Bitcain.AppHost.Tests;

/// <summary>What a test can see of the machine: processes by command line, temp folders that the postgres
/// user can reach (Directory.CreateTempSubdirectory makes them 700, which would push PostgreSQL to its fallback).</summary>
public static class Machine
{
    public static string NewTempFolder(string purpose)
    {
        // Under /tmp/bitcain-tests/ like the other suites' servers, so ops/test.sh can clean up after a run cut short.
        var parent = Path.Combine(Path.GetTempPath(), "bitcain-tests");
        var folder = Path.Combine(parent, $"apphost-{purpose}-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(folder);
        foreach (var reachable in new[] { parent, folder })
            File.SetUnixFileMode(reachable, (UnixFileMode)0b111_101_101);
        return folder;
    }

    /// <summary>Live processes whose command line mentions <paramref name="text"/> (a data folder).</summary>
    public static IReadOnlyList<string> ProcessesMentioning(string text) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out var pid) && pid != Environment.ProcessId && UnixProcess.IsAlive(pid))
            .Select(name => $"{name}: {UnixProcess.CommandLine(int.Parse(name!))}")
            .Where(line => line.Contains(text, StringComparison.Ordinal))
            .ToList();

    public static async Task<IReadOnlyList<string>> ProcessesMentioningAfterAWhile(string text)
    {
        // A process that has just been told to stop may need a moment to leave the process table.
        for (var i = 0; i < 50 && ProcessesMentioning(text).Count > 0; i++)
            await Task.Delay(200);
        return ProcessesMentioning(text);
    }
}
