using System.Diagnostics;
using Bitcain.AppHost.Infrastructure;

namespace Bitcain.AppHost.Orchestration;

/// <summary>
/// A supervised child (a service, the exchange simulator, the build): its output streamed line by line
/// with its name in front, the last lines kept for when it fails, and a stop that asks before it kills.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 30;
    private readonly Process process;
    private readonly Queue<string> lastLines = new();
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int Pid => process.Id;

    /// <summary>Completes with the exit code once the child has exited and its output is drained.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>Set once we asked the child to stop, so its exit is not reported as a crash.</summary>
    public bool Stopping { get; private set; }

    public string LastLines
    {
        get
        {
            lock (lastLines)
                return string.Join('\n', lastLines);
        }
    }

    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        ConsoleLog console)
    {
        // setsid: a Ctrl-C in the terminal reaches the AppHost alone, which then stops the children in
        // order instead of all of them dying at once. setsid execs in place, so the pid stays the child's.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, console);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, console);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = child.WatchAsync();
        return child;
    }

    private void OnLine(string? line, ConsoleLog console)
    {
        if (line is null)
            return;
        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > KeptLines)
                lastLines.Dequeue();
        }
        console.Line(Name, line);
    }

    private async Task WatchAsync()
    {
        // Without a token this also waits until stdout and stderr are drained.
        await process.WaitForExitAsync();
        exited.TrySetResult(process.ExitCode);
    }

    /// <summary>SIGTERM, up to <paramref name="grace"/> to finish, then SIGKILL of the child and anything it started.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Stopping = true;
        if (Exited.IsCompleted)
            return;
        UnixProcess.Signal(Pid, UnixProcess.SigTerm);
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
    }
}
