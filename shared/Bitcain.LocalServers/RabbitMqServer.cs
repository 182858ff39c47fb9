using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Bitcain.LocalServers;

/// <summary>
/// A private RabbitMQ node from Debian's binaries, on 127.0.0.1 only, with its own Erlang cookie, epmd port
/// and node name (derived from the folder), so it never meets the distribution's own node or another
/// developer's or test run's node on the same machine. Its queues persist in the folder between starts.
/// No guest: every <see cref="BrokerUser"/> has a password generated on the first start and kept in the
/// folder (mode 600), and the node loads their users and permissions from a definitions file on every start.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    // The scripts in /usr/sbin switch to the rabbitmq user and ignore our HOME and cookie; these do not.
    private const string Scripts = "/usr/lib/rabbitmq/bin";
    private readonly Action<string> log;
    private Process? server;
    private bool startedEpmd;

    private RabbitMqServer(string folder, int amqpPort, int epmdPort, int distPort, int? managementPort, Action<string> log)
    {
        Folder = Path.GetFullPath(folder);
        AmqpPort = amqpPort;
        EpmdPort = epmdPort;
        DistPort = distPort;
        ManagementPort = managementPort;
        NodeName = NodeNameFor(Folder);
        this.log = log;
    }

    public string Folder { get; }

    public int AmqpPort { get; }

    public int EpmdPort { get; }

    public int DistPort { get; }

    public int? ManagementPort { get; }

    public string NodeName { get; }

    /// <summary>The administrator's connection: full rights, for operators and test fixtures.</summary>
    public string ConnectionString => ConnectionStringFor(BrokerUser.AdministratorName);

    /// <summary>The connection of one of <see cref="BrokerUser.All"/>, with its password.</summary>
    public string ConnectionStringFor(string user) =>
        $"amqp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(Password(user))}@127.0.0.1:{AmqpPort}/";

    private string PasswordFolder => Path.Combine(Folder, "passwords");

    private string DefinitionsFile => Path.Combine(Folder, "definitions.json");

    /// <summary>The password of one of <see cref="BrokerUser.All"/>.</summary>
    public string PasswordOf(string user) => Password(user);

    private string Password(string user) =>
        passwords.TryGetValue(user, out var password) ? password : throw new ArgumentException($"{user} is not a user of this node.", nameof(user));

    private readonly Dictionary<string, string> passwords = new(StringComparer.Ordinal);

    /// <summary>The Erlang VM's pid while the node runs.</summary>
    public int? Pid => ReadPid(Path.Combine(Folder, "rabbit.pid"));

    public string LogFolder => Path.Combine(Folder, "log");

    /// <summary>Starts a node in <paramref name="folder"/> and returns once it accepts AMQP connections.
    /// <paramref name="managementPort"/> enables the management plugin on that port; null leaves it off.</summary>
    public static async Task<RabbitMqServer> StartAsync(
        string folder,
        int amqpPort,
        int epmdPort,
        int distPort,
        int? managementPort = null,
        Action<string>? log = null,
        CancellationToken ct = default)
    {
        var node = new RabbitMqServer(folder, amqpPort, epmdPort, distPort, managementPort, log ?? (_ => { }));
        try
        {
            await node.StartAsync(ct);
            return node;
        }
        catch
        {
            await node.StopAsync();
            throw;
        }
    }

    /// <summary>A node name that is the same for a folder on every start (its queues live under that name)
    /// and different for every other folder.</summary>
    public static string NodeNameFor(string folder) =>
        "bitcain-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..10] + "@localhost";

    /// <summary>Everything the node needs before <c>rabbitmq-server</c> runs in the foreground under a supervisor (the
    /// AppHost's executable resource): cookie, configuration, users and their passwords, the definitions file.</summary>
    public static RabbitMqServer Prepare(string folder, int amqpPort, int epmdPort, int distPort, int? managementPort = null)
    {
        if (!File.Exists(Path.Combine(Scripts, "rabbitmq-server")))
            throw new InvalidOperationException($"RabbitMQ is not installed ({Scripts}/rabbitmq-server); run ops/setup.sh.");
        var node = new RabbitMqServer(folder, amqpPort, epmdPort, distPort, managementPort, _ => { });
        node.WriteConfiguration();
        return node;
    }

    /// <summary>The server script in the foreground; it turns SIGTERM into an orderly <c>rabbitmqctl stop</c>.</summary>
    public string ServerScript => Path.Combine(Scripts, "rabbitmq-server");

    /// <summary>The node's environment: its own HOME (cookie), name, ports and folders, all on 127.0.0.1.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment => Environment();

    /// <summary>True once the node accepts AMQP connections; a node first started with guest loses it on the first.</summary>
    public async Task<bool> AcceptsConnectionsAsync(CancellationToken ct)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, AmqpPort, ct);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
        await RemoveGuestAsync(ct);
        return true;
    }

    /// <summary>The node's own epmd outlives the node; only ours goes, by its port (epmd refuses while a node is
    /// registered with it).</summary>
    public static Task StopEpmdAsync(int epmdPort) => Command.RunAsync("epmd", ["-port", epmdPort.ToString(), "-kill"]);

    /// <summary>Stops a node (and the epmd it started) left running on this folder by an AppHost that could
    /// not clean up. Only that node's own pid is signalled.</summary>
    public static async Task<bool> StopLeftoverAsync(string folder)
    {
        folder = Path.GetFullPath(folder);
        if (ReadPid(Path.Combine(folder, "rabbit.pid")) is not { } pid || !UnixProcess.IsAlive(pid)
            || !UnixProcess.CommandLine(pid).Contains(folder, StringComparison.Ordinal))
            return false;
        // The VM treats SIGTERM as a clean shutdown.
        await UnixProcess.TerminateAsync(pid, TimeSpan.FromSeconds(30));
        if (int.TryParse(ReadText(Path.Combine(folder, "epmd.port")), out var epmdPort))
            await Command.RunAsync("epmd", ["-port", epmdPort.ToString(), "-kill"]);
        return true;
    }

    private async Task StartAsync(CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(Scripts, "rabbitmq-server")))
            throw new InvalidOperationException($"RabbitMQ is not installed ({Scripts}/rabbitmq-server); run ops/setup.sh.");
        WriteConfiguration();

        startedEpmd = !(await Command.RunAsync("epmd", ["-port", EpmdPort.ToString(), "-names"], ct: ct)).Succeeded;

        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        // setsid: a Ctrl-C in the terminal reaches the AppHost only, which then stops the node in order.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$0\" >>\"$1\" 2>&1 </dev/null");
        start.ArgumentList.Add(Path.Combine(Scripts, "rabbitmq-server"));
        start.ArgumentList.Add(Path.Combine(LogFolder, "console.out"));
        foreach (var (key, value) in Environment())
            start.Environment[key] = value;
        server = Process.Start(start) ?? throw new InvalidOperationException("Could not start rabbitmq-server.");

        // `wait` first: await_startup fails at once while the node has not registered with epmd yet.
        var ready = WaitUntilReadyAsync(ct);
        var died = server.WaitForExitAsync(ct);
        if (await Task.WhenAny(ready, died) == died && !ready.IsCompleted)
        {
            await died;
            throw new InvalidOperationException(
                $"RabbitMQ exited while starting (exit code {server.ExitCode}). {Path.Combine(LogFolder, "console.out")} ends with:\n"
                + PostgresServer.Tail(Path.Combine(LogFolder, "console.out"), 25));
        }
        await ready;
        await RemoveGuestAsync(ct);
        log($"listening on 127.0.0.1:{AmqpPort} as {NodeName} (pid {Pid})");
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var pidFile = Path.Combine(Folder, "rabbit.pid");
        await Ctl(["-q", "wait", "--timeout", "90", pidFile], TimeSpan.FromSeconds(100), ct);
        await Ctl(["-q", "await_startup", "--timeout", "90"], TimeSpan.FromSeconds(100), ct);
    }

    public async Task StopAsync()
    {
        if (server is null)
            return;
        var process = server;
        server = null;
        if (!process.HasExited)
        {
            var shutdown = await Command.RunAsync(Path.Combine(Scripts, "rabbitmqctl"), ["-q", "shutdown"], Environment(), TimeSpan.FromSeconds(60));
            if (!shutdown.Succeeded && Pid is { } pid)
                await UnixProcess.TerminateAsync(pid, TimeSpan.FromSeconds(20));
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        // The node's epmd outlives the node. Only ours goes, by its port; epmd itself refuses while any node
        // is still registered with it.
        if (startedEpmd)
            await Command.RunAsync("epmd", ["-port", EpmdPort.ToString(), "-kill"]);
        log("stopped");
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>rabbitmqctl against the node of <paramref name="folder"/>, from any process on this machine, as an
    /// operator would run it (<c>stop_app</c> / <c>start_app</c> restart the broker inside a running node).</summary>
    /// <returns>What rabbitmqctl printed.</returns>
    public static async Task<string> ControlAsync(string folder, int epmdPort, string[] arguments, TimeSpan timeout, CancellationToken ct = default) =>
        (await Command.RunCheckedAsync(Path.Combine(Scripts, "rabbitmqctl"), ["-n", NodeNameFor(folder), .. arguments], new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(Path.GetFullPath(folder), "home"),
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
            ["ERL_EPMD_PORT"] = epmdPort.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        }, timeout, ct)).Output;

    /// <summary>A node first started by an AppHost that still had guest keeps it in its database until told.</summary>
    private async Task RemoveGuestAsync(CancellationToken ct)
    {
        var done = Path.Combine(Folder, "guest.removed");
        if (File.Exists(done))
            return;
        var removed = await Command.RunAsync(Path.Combine(Scripts, "rabbitmqctl"), ["-q", "delete_user", "guest"], Environment(), TimeSpan.FromSeconds(60), ct);
        if (!removed.Succeeded && !removed.Output.Contains("no_such_user", StringComparison.Ordinal) && !removed.Output.Contains("does not exist", StringComparison.Ordinal))
            throw new InvalidOperationException($"Could not remove RabbitMQ's guest user: {removed.Output}");
        File.WriteAllText(done, "");
    }

    /// <summary>Each user's password, generated once; then the definitions the node imports when it boots.</summary>
    private void WriteUsers()
    {
        Directory.CreateDirectory(PasswordFolder);
        foreach (var user in BrokerUser.All)
        {
            var file = Path.Combine(PasswordFolder, user.Name);
            if (!File.Exists(file))
                WritePrivate(file, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
            passwords[user.Name] = File.ReadAllText(file).Trim();
        }
        File.Delete(DefinitionsFile);
        WritePrivate(DefinitionsFile, BrokerUser.Definitions(BrokerUser.All.Select(u => (u, passwords[u.Name]))));
    }

    private static void WritePrivate(string file, string text)
    {
        using var writer = new StreamWriter(file, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        writer.Write(text);
    }

    private Task Ctl(string[] arguments, TimeSpan timeout, CancellationToken ct) =>
        Command.RunCheckedAsync(Path.Combine(Scripts, "rabbitmqctl"), arguments, Environment(), timeout, ct);

    private void WriteConfiguration()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "home"));
        Directory.CreateDirectory(LogFolder);
        var cookie = Path.Combine(Folder, "home", ".erlang.cookie");
        if (!File.Exists(cookie))
        {
            File.WriteAllText(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }
        WriteUsers();
        if (!Directory.Exists(Path.Combine(Folder, "mnesia")))
            File.WriteAllText(Path.Combine(Folder, "guest.removed"), "");
        // A new node creates its default user before it imports the definitions: make that one the administrator,
        // so guest never exists; the definitions then give every user its permissions on each boot.
        var config = new StringBuilder()
            .AppendLine($"listeners.tcp.default = 127.0.0.1:{AmqpPort}")
            .AppendLine($"default_user = {BrokerUser.AdministratorName}")
            .AppendLine($"default_pass = {Password(BrokerUser.AdministratorName)}")
            .AppendLine("definitions.import_backend = local_filesystem")
            .AppendLine($"definitions.local.path = {DefinitionsFile}");
        if (ManagementPort is { } management)
            config.AppendLine($"management.tcp.port = {management}").AppendLine("management.tcp.ip = 127.0.0.1");
        File.Delete(Path.Combine(Folder, "rabbitmq.conf"));
        WritePrivate(Path.Combine(Folder, "rabbitmq.conf"), config.ToString());
        File.WriteAllText(Path.Combine(Folder, "enabled_plugins"), ManagementPort is null ? "[].\n" : "[rabbitmq_management].\n");
        File.WriteAllText(Path.Combine(Folder, "advanced.config"), "[].\n");
        File.WriteAllText(Path.Combine(Folder, "env.conf"), "");
        File.WriteAllText(Path.Combine(Folder, "epmd.port"), EpmdPort.ToString());
        // A pid file from a node that died with its machine would make `rabbitmqctl wait` watch the wrong pid.
        if (Pid is { } stale && !UnixProcess.IsAlive(stale))
            File.Delete(Path.Combine(Folder, "rabbit.pid"));
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["HOME"] = Path.Combine(Folder, "home"),
        ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(),
        ["RABBITMQ_DIST_PORT"] = DistPort.ToString(),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Folder, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = LogFolder,
        ["RABBITMQ_PID_FILE"] = Path.Combine(Folder, "rabbit.pid"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Folder, "rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Folder, "advanced.config"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Folder, "enabled_plugins"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Folder, "env.conf"),
        ["ERL_EPMD_PORT"] = EpmdPort.ToString(),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
    };

    private static int? ReadPid(string file) => int.TryParse(ReadText(file), out var pid) ? pid : null;

    private static string ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
