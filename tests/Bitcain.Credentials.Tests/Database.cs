using System.Diagnostics;
using Npgsql;
using Shouldly;

namespace Bitcain.Credentials.Tests;

public static class Database
{
    /// <summary>Everything PostgreSQL holds for this run, as <c>pg_dump</c> writes it.</summary>
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
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync());
        return output;
    }
}
