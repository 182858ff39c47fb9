using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Bitcain.LocalServers;

/// <summary>
/// A private PostgreSQL cluster from Debian's binaries, on 127.0.0.1 only, kept in a folder of ours and
/// reused on the next start (initdb only when the folder is empty). The AppHost's cluster keeps a user's data,
/// so it asks for a password (scram-sha-256, generated once and kept beside it, mode 600); a throwaway test
/// cluster may trust its loopback connections instead.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly string bin;
    private readonly Action<string> log;
    private readonly string? password;
    private bool running;

    private PostgresServer(string folder, int port, string database, string bin, string? password, Action<string> log)
    {
        Folder = folder;
        this.password = password;
        Port = port;
        Database = database;
        this.bin = bin;
        this.log = log;
    }

    /// <summary>Where the cluster lives: the folder asked for, or a fallback the postgres user can reach.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>The superuser's password; null for a throwaway cluster that trusts its loopback connections.</summary>
    public string? Password => password;

    public string Database { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database={Database};Username={SuperUser}"
        + (password is null ? "" : $";Password={password}");

    /// <summary>Where a password-protected cluster's superuser password is kept: beside the cluster folder asked for,
    /// readable by its owner only.</summary>
    public static string PasswordFileFor(string folder) => Path.Combine(Path.GetFullPath(folder), "superuser.password");

    /// <summary>The postmaster's pid while it runs.</summary>
    public int? Pid => ReadPostmasterPid(Path.Combine(Folder, "cluster"));

    private string ClusterDir => Path.Combine(Folder, "cluster");

    private string RunDir => Path.Combine(Folder, "run");

    public string LogFile => Path.Combine(RunDir, "server.log");

    /// <summary>Starts (initializing when needed) a cluster in <paramref name="folder"/> listening on
    /// 127.0.0.1:<paramref name="port"/>, and creates <paramref name="database"/> if it is missing.
    /// <paramref name="passwordProtected"/>: every connection, local socket included, authenticates with the
    /// superuser's password (<see cref="PasswordFileFor"/>); a cluster that trusted before is switched over.</summary>
    public static async Task<PostgresServer> StartAsync(
        string folder,
        int port,
        string database = "bitcain",
        Action<string>? log = null,
        CancellationToken ct = default,
        bool passwordProtected = false)
    {
        log ??= _ => { };
        var password = passwordProtected ? ReadOrCreatePassword(PasswordFileFor(folder)) : null;
        var server = new PostgresServer(await ReachableFolderAsync(folder, log, ct), port, database, FindBinaries(), password, log);
        try
        {
            await server.StartAsync(ct);
            return server;
        }
        catch
        {
            await server.StopAsync();
            throw;
        }
    }

    /// <summary>Everything a first run needs before the postmaster can run in the foreground under a supervisor (the
    /// AppHost's executable resource): the folder the postgres user can reach, initdb, the superuser's password. A
    /// cluster that trusted connections (an older AppHost's) is switched to passwords with a short start and stop.</summary>
    public static async Task<PostgresServer> PrepareAsync(
        string folder,
        int port,
        string database,
        Action<string>? log = null,
        CancellationToken ct = default)
    {
        log ??= _ => { };
        var password = ReadOrCreatePassword(PasswordFileFor(folder));
        var server = new PostgresServer(await ReachableFolderAsync(folder, log, ct), port, database, FindBinaries(), password, log);
        await server.InitializeIfNeededAsync(ct);
        if (server.TrustsConnections())
        {
            await server.StartAsync(ct);
            await server.StopAsync();
        }
        return server;
    }

    /// <summary>The postmaster in the foreground, logging to stderr, as the postgres OS user when we are root. Its
    /// SIGTERM would be a smart shutdown, which waits for every client; the supervisor's SIGTERM becomes a fast
    /// shutdown (SIGINT) instead, so a stop never outlasts the supervisor's patience and orphans the server.</summary>
    public (string File, string[] Arguments) ForegroundCommand()
    {
        const string script = "trap 'kill -INT $pid' TERM INT; \"$0\" \"$@\" & pid=$!; wait $pid; trap - TERM INT; wait $pid";
        string[] postgres = ["/bin/sh", "-c", script, Path.Combine(bin, "postgres"),
            "-D", ClusterDir, "-p", Port.ToString(), "-k", RunDir, "-c", "listen_addresses=127.0.0.1"];
        return UnixProcess.IsRoot ? ("runuser", ["-u", "postgres", "--", .. postgres]) : (postgres[0], postgres[1..]);
    }

    /// <summary>True once the server accepts the superuser's connection; the database is created on the first one.</summary>
    public async Task<bool> AcceptsConnectionsAsync(CancellationToken ct)
    {
        try
        {
            await CreateDatabaseIfMissingAsync(ct);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>The folder the cluster for <paramref name="folder"/> uses: itself, or the fallback when the
    /// postgres user cannot traverse its parents.</summary>
    public static string FallbackFolderFor(string folder)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..12];
        var home = Directory.Exists("/var/lib/postgresql") ? "/var/lib/postgresql/bitcain" : "/var/tmp/bitcain-postgres";
        return Path.Combine(home, hash);
    }

    /// <summary>Stops a postmaster left running on this folder by an AppHost that could not clean up
    /// (killed with SIGKILL): it would hold the port and the data folder.</summary>
    public static async Task<bool> StopLeftoverAsync(string folder, CancellationToken ct = default)
    {
        foreach (var candidate in new[] { folder, FallbackFolderFor(folder) })
        {
            var cluster = Path.Combine(candidate, "cluster");
            if (ReadPostmasterPid(cluster) is not { } pid || !UnixProcess.IsAlive(pid))
                continue;
            await RunAsPostgres(Path.Combine(FindBinaries(), "pg_ctl"), ["-D", cluster, "-m", "fast", "-w", "-t", "60", "stop"], ct);
            return true;
        }
        return false;
    }

    private async Task StartAsync(CancellationToken ct)
    {
        await InitializeIfNeededAsync(ct);
        running = true;
        await RunAsPostgres(Path.Combine(bin, "pg_ctl"),
        [
            "-D", ClusterDir, "-l", LogFile,
            "-o", $"-p {Port} -k {RunDir} -c listen_addresses=127.0.0.1",
            "-w", "-t", "60", "start",
        ], ct, failureDetail: () => Tail(LogFile, 20));
        log($"listening on 127.0.0.1:{Port} (pid {Pid})");

        if (password is not null && TrustsConnections())
            await RequirePasswordsAsync(ct);
        await CreateDatabaseIfMissingAsync(ct);
    }

    private async Task InitializeIfNeededAsync(CancellationToken ct)
    {
        var initialized = File.Exists(Path.Combine(ClusterDir, "PG_VERSION"));
        if (!initialized)
        {
            log($"initializing a new cluster in {ClusterDir}");
            if (password is null)
            {
                await RunAsPostgres(Path.Combine(bin, "initdb"),
                    ["-D", ClusterDir, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], ct);
            }
            else
            {
                // initdb reads the password from a file the postgres OS user can open: ours for the moment it runs.
                var passwordFile = Path.Combine(RunDir, "initdb.password");
                WriteOwnerOnly(passwordFile, password);
                try
                {
                    if (UnixProcess.IsRoot)
                        await Command.RunCheckedAsync("chown", ["postgres:postgres", passwordFile], ct: ct);
                    await RunAsPostgres(Path.Combine(bin, "initdb"),
                        ["-D", ClusterDir, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8"], ct);
                }
                finally
                {
                    File.Delete(passwordFile);
                }
            }
        }
    }

    private async Task CreateDatabaseIfMissingAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", Database);
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;
        await using var create = new NpgsqlCommand($"create database \"{Database.Replace("\"", "\"\"")}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
        log($"created database {Database}");
    }

    private string HbaFile => Path.Combine(ClusterDir, "pg_hba.conf");

    private bool TrustsConnections() =>
        File.ReadLines(HbaFile).Any(line => !line.TrimStart().StartsWith('#') && line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries) is [.., "trust"]);

    /// <summary>A cluster initialized with trust by an older AppHost: give the superuser its password (while trust
    /// still lets us in), then make every pg_hba line ask for it.</summary>
    private async Task RequirePasswordsAsync(CancellationToken ct)
    {
        var trusting = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Password = null, Pooling = false };
        await using (var connection = new NpgsqlConnection(trusting.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var alter = new NpgsqlCommand($"set password_encryption = 'scram-sha-256'; alter role {SuperUser} password '{password!.Replace("'", "''")}'", connection);
            await alter.ExecuteNonQueryAsync(ct);
            var lines = File.ReadAllLines(HbaFile).Select(line =>
                !line.TrimStart().StartsWith('#') && line.TrimEnd().EndsWith("trust", StringComparison.Ordinal)
                    ? line.TrimEnd()[..^"trust".Length] + "scram-sha-256"
                    : line);
            File.WriteAllLines(HbaFile, lines);
            await using var reload = new NpgsqlCommand("select pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync(ct);
        }
        log("switched from trust to scram-sha-256 passwords");
    }

    private static string ReadOrCreatePassword(string file)
    {
        if (File.Exists(file))
            return File.ReadAllText(file).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        WriteOwnerOnly(file, password);
        return password;
    }

    private static void WriteOwnerOnly(string file, string text)
    {
        using var writer = new StreamWriter(file, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        writer.Write(text);
    }

    public async Task StopAsync()
    {
        if (!running)
            return;
        running = false;
        if (Pid is { } pid && UnixProcess.IsAlive(pid))
        {
            await RunAsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", ClusterDir, "-m", "fast", "-w", "-t", "60", "stop"], CancellationToken.None);
            log("stopped");
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>initdb refuses to run as root, so as root the cluster belongs to the postgres OS user, which
    /// must be able to reach the folder: when a parent (a home directory, a 700 temp folder) stops it, the
    /// cluster goes to a fallback folder outside the repository instead.</summary>
    private static async Task<string> ReachableFolderAsync(string folder, Action<string> log, CancellationToken ct)
    {
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        if (!UnixProcess.IsRoot)
        {
            Directory.CreateDirectory(Path.Combine(folder, "run"));
            return folder;
        }
        if (await PreparedForPostgresAsync(folder, ct))
            return folder;

        var fallback = FallbackFolderFor(folder);
        Directory.CreateDirectory(fallback);
        if (!await PreparedForPostgresAsync(fallback, ct))
            throw new InvalidOperationException($"The postgres OS user can reach neither {folder} nor {fallback}.");
        log($"the postgres OS user cannot reach {folder}; the cluster lives in {fallback} instead");
        return fallback;
    }

    private static async Task<bool> PreparedForPostgresAsync(string folder, CancellationToken ct)
    {
        await Command.RunCheckedAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "755", folder], ct: ct);
        await Command.RunCheckedAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "755", Path.Combine(folder, "run")], ct: ct);
        var probe = await Command.RunAsync("runuser", ["-u", "postgres", "--", "test", "-w", Path.Combine(folder, "run")], ct: ct);
        return probe.Succeeded;
    }

    private static Task<Command.Result> RunAsPostgres(string tool, string[] arguments, CancellationToken ct, Func<string>? failureDetail = null) =>
        RunAsPostgresCore(tool, arguments, ct, failureDetail);

    private static async Task<Command.Result> RunAsPostgresCore(string tool, string[] arguments, CancellationToken ct, Func<string>? failureDetail)
    {
        var (file, args) = UnixProcess.IsRoot
            ? ("runuser", new[] { "-u", "postgres", "--", tool }.Concat(arguments).ToArray())
            : (tool, arguments);
        var result = await Command.RunAsync(file, args, timeout: TimeSpan.FromSeconds(90), ct: ct);
        if (!result.Succeeded)
            throw new InvalidOperationException(
                $"{Path.GetFileName(tool)} failed with exit code {result.ExitCode}:\n{result.Output}\n{failureDetail?.Invoke()}".TrimEnd());
        return result;
    }

    private static string FindBinaries()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL's binaries are not installed (/usr/lib/postgresql/<version>/bin); run ops/setup.sh.");
    }

    private static int? ReadPostmasterPid(string cluster)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(cluster, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string Tail(string file, int lines)
    {
        try
        {
            return string.Join('\n', File.ReadLines(file).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
