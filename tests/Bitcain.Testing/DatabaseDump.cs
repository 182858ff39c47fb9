using System.Diagnostics;
using Npgsql;

namespace Bitcain.Testing;

public static class DatabaseDump
{
    /// <summary>Everything PostgreSQL holds for this run's database, as <c>pg_dump --data-only</c> writes it.</summary>
    public static async Task<string> DumpAsync(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo("pg_dump", ["-h", c.Host!, "-p", c.Port.ToString(), "-U", c.Username ?? "postgres", "--data-only", c.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (c.Password is not null) info.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("pg_dump failed: " + error);
        return output;
    }
}
