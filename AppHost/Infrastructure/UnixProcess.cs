using System.Runtime.InteropServices;

namespace Bitcain.AppHost.Infrastructure;

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
