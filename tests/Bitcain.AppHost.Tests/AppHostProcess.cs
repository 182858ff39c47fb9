using System.Diagnostics;
using System.Text.RegularExpressions;
using Bitcain.LocalServers;

namespace Bitcain.AppHost.Tests;

/// <summary>The AppHost run as a real process, as a developer runs it, on its own ports and data folder,
/// with everything it prints kept for assertions.</summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly string dataFolder;

    private AppHostProcess(Process process, string dataFolder)
    {
        this.process = process;
        this.dataFolder = dataFolder;
    }

    public int Pid => process.Id;

    public string Output
    {
        get
        {
            lock (lines)
                return string.Join('\n', lines);
        }
    }

    public static string RepositoryRoot { get; } = Repository.FindRoot();

    /// <summary>The AppHost as ops/run.sh runs it: from its own build output, where Aspire's build put what it needs
    /// (DCP, the dashboard, the services' project paths).</summary>
    public static string AppHostDll { get; } = Path.Combine(RepositoryRoot, "AppHost", "bin", "Debug", "net10.0", "Bitcain.AppHost.dll");

    /// <summary>Ports for a run beside anybody else's: a free block for the services, free ones for the servers.</summary>
    public static string[] FreePortArguments(int servicePorts = 4) =>
    [
        "--port-base", FreePort.NextRange(servicePorts).ToString(),
        "--postgres-port", FreePort.Next().ToString(),
        "--rabbitmq-port", FreePort.Next().ToString(),
        "--epmd-port", FreePort.Next().ToString(),
        "--rabbitmq-dist-port", FreePort.Next().ToString(),
        "--dashboard-port", FreePort.NextRange(2).ToString(),
    ];

    public static AppHostProcess Start(string dataFolder, params string[] arguments) => Start(dataFolder, new Dictionary<string, string>(), arguments);

    public static AppHostProcess Start(string dataFolder, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppHostProcess.AppHostDll);
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(dataFolder);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // A developer's own settings must not steer the test run.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__") || k.StartsWith("Bus__") || k is "Auth__SigningKey" or "Credentials__MasterKey").ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var host = new AppHostProcess(process, dataFolder);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (lines)
            lines.Add(line);
    }

    /// <summary>Waits for a printed line containing <paramref name="text"/>; fails with the output when the
    /// process exits first or the time runs out.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (lines)
            {
                if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                    return line;
            }
            if (process.HasExited)
                throw new Xunit.Sdk.XunitException($"The AppHost exited ({process.ExitCode}) before printing \"{text}\":\n{Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"The AppHost did not print \"{text}\" within {timeout.TotalSeconds} s:\n{Tail()}");
            await Task.Delay(200);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The AppHost did not exit within {timeout.TotalSeconds} s:\n{Tail()}");
        }
        return process.ExitCode;
    }

    public void Terminate() => UnixProcess.Signal(Pid, UnixProcess.SigTerm);

    /// <summary>The pids in the ready table: services, the postmaster and the Erlang VM.</summary>
    public IReadOnlyList<int> PrintedPids()
    {
        var output = Output;
        var services = ServiceRow().Matches(output).Select(m => int.Parse(m.Groups["pid"].Value));
        var servers = ServerPid().Matches(output).Select(m => int.Parse(m.Groups["pid"].Value));
        return services.Concat(servers).ToList();
    }

    public int ServicePort(string name) =>
        int.Parse(ServiceRow().Matches(Output).First(m => m.Groups["name"].Value == name).Groups["port"].Value);

    public int ServicePid(string name) =>
        int.Parse(ServiceRow().Matches(Output).First(m => m.Groups["name"].Value == name).Groups["pid"].Value);

    /// <summary>Every printed instance of <paramref name="service"/>: <c>sync</c> alone, or <c>sync-0</c>, <c>sync-1</c>...</summary>
    public IReadOnlyList<(string Name, int Port, int Pid)> Instances(string service) =>
        ServiceRow().Matches(Output)
            .Where(m => m.Groups["name"].Value == service || m.Groups["name"].Value.StartsWith(service + "-", StringComparison.Ordinal))
            .Select(m => (m.Groups["name"].Value, int.Parse(m.Groups["port"].Value), int.Parse(m.Groups["pid"].Value)))
            .ToList();

    /// <summary>The PostgreSQL connection string of the ready table.</summary>
    /// <summary>The printed connection string with the password it leaves out, read from the data folder as a user would.</summary>
    public string PrintedPostgres() => PostgresRow().Match(Output).Groups["cs"].Value
        .Replace("Password=***", "Password=" + PostgresPassword());

    public string PostgresPassword() =>
        File.ReadAllText(PostgresServer.PasswordFileFor(Path.Combine(dataFolder, "postgres"))).Trim();

    public string PrintedToken() => TokenLine().Match(Output).Groups["token"].Value;

    public string Tail(int count = 80)
    {
        lock (lines)
            return string.Join('\n', lines.TakeLast(count));
    }

    public async ValueTask DisposeAsync()
    {
        // A failed test must not leave a whole stack running.
        if (!process.HasExited)
        {
            Terminate();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        _ = dataFolder;
    }

    [GeneratedRegex(@"^  postgres\s+(?<cs>\S*Host=\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PostgresRow();

    [GeneratedRegex(@"^  (?<name>[a-z]+(-\d+)?)\s+http://127\.0\.0\.1:\d+\s+(?<port>\d+)\s+(?<pid>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ServiceRow();

    [GeneratedRegex(@"\s pid (?<pid>\d+)")]
    private static partial Regex ServerPid();

    [GeneratedRegex(@"export TOKEN=(?<token>\S+)")]
    private static partial Regex TokenLine();
}
