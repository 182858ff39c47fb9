using Bitcain.LocalServers;

namespace Bitcain.AppHost;

/// <summary>
/// One AppHost per data folder: two would share a PostgreSQL cluster and a RabbitMQ node. The claim is an
/// exclusive lock on a file (released by the kernel however the holder dies) with the holder's pid next
/// to it, so a refusal can say who holds the folder.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    private readonly FileStream lockFile;
    private readonly string pidFile;

    private InstanceLock(FileStream lockFile, string pidFile)
    {
        this.lockFile = lockFile;
        this.pidFile = pidFile;
    }

    /// <summary>Claims <paramref name="dataFolder"/>, or returns null with the reason when another AppHost holds it.</summary>
    public static InstanceLock? TryAcquire(string dataFolder, out string refusal)
    {
        Directory.CreateDirectory(dataFolder);
        var pidFile = Path.Combine(dataFolder, "apphost.pid");
        var holder = ReadHolder(pidFile);
        refusal = holder is { } pid
            ? $"Another AppHost (pid {pid}) already runs on the data folder {dataFolder}. Stop it first (kill -TERM {pid}), or give this one its own folder with --data <dir>."
            : $"Another AppHost already runs on the data folder {dataFolder}. Stop it first, or give this one its own folder with --data <dir>.";
        try
        {
            var lockFile = new FileStream(Path.Combine(dataFolder, "apphost.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // The kernel lock is the claim; the pid check covers file systems where locks are switched off.
            if (holder is not null)
            {
                lockFile.Dispose();
                return null;
            }
            File.WriteAllText(pidFile, Environment.ProcessId.ToString());
            refusal = "";
            return new InstanceLock(lockFile, pidFile);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ReadHolder(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)
                   && pid != Environment.ProcessId
                   && UnixProcess.IsAlive(pid)
                   && UnixProcess.CommandLine(pid).Contains("Bitcain.AppHost", StringComparison.Ordinal)
                ? pid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        File.Delete(pidFile);
        lockFile.Dispose();
    }
}
