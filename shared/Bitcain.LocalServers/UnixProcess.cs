using System.Runtime.InteropServices;

namespace Bitcain.LocalServers;

/// <summary>The little of POSIX that .NET does not expose: a polite SIGTERM, and whether a pid still lives.</summary>
public static class UnixProcess
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static bool Signal(int pid, int signal) => SendSignal(pid, signal) == 0;

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The command line of a live process, arguments joined by spaces; empty when it is gone.</summary>
    /// <summary>The processes whose parent is <paramref name="pid"/> (from /proc/&lt;pid&gt;/stat: the field after the
    /// command's closing parenthesis is the state, then the parent's pid).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && int.TryParse(fields[1], out var parent) && parent == pid)
                    children.Add(candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return children;
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>SIGTERM, a grace period, then SIGKILL: for processes we started but no longer hold a handle to.</summary>
    public static async Task TerminateAsync(int pid, TimeSpan grace)
    {
        if (!IsAlive(pid))
            return;
        Signal(pid, SigTerm);
        if (!await WaitForExitAsync(pid, grace))
        {
            Signal(pid, SigKill);
            await WaitForExitAsync(pid, TimeSpan.FromSeconds(5));
        }
    }
}
