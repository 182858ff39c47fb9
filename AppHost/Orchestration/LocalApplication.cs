using System.Runtime.InteropServices;
using Bitcain.AppHost.Infrastructure;

namespace Bitcain.AppHost.Orchestration;

/// <summary>
/// The resources of one local run and their supervision: starts each once what it waits for is ready,
/// watches the children, and on Ctrl-C, SIGTERM, a crash or a failed start stops everything it started:
/// services first (newest first), then RabbitMQ, then PostgreSQL.
/// </summary>
public sealed class LocalApplication : IAsyncDisposable
{
    private const int StopServicesFirst = 0, StopBrokerNext = 1, StopDatabaseLast = 2;
    private static readonly TimeSpan ServiceStopGrace = TimeSpan.FromSeconds(10);

    private readonly ConsoleLog console;
    private readonly CancellationTokenSource abort = new();
    private readonly List<Resource> resources = [];
    private readonly List<(int Priority, int Sequence, string Name, Func<Task> Stop)> stops = [];
    private readonly List<PosixSignalRegistration> signals = [];
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly string childrenFile;
    private InstanceLock? instanceLock;
    private ChildProcess? crashed;

    public LocalApplication(AppHostOptions options, string repositoryRoot, ConsoleLog console)
    {
        Options = options;
        RepositoryRoot = repositoryRoot;
        DataFolder = options.DataFolder ?? Repository.DefaultDataFolder(repositoryRoot);
        this.console = console;
        childrenFile = Path.Combine(DataFolder, "children.pids");
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                RequestStop($"{context.Signal} received");
            }));
    }

    public AppHostOptions Options { get; }

    public string RepositoryRoot { get; }

    public string DataFolder { get; }

    public IReadOnlyList<Resource> Resources => resources;

    /// <summary>The child that exited on its own, once one has.</summary>
    public ChildProcess? Crashed => crashed;

    public bool StopRequested { get; private set; }

    public CancellationToken Stopping => abort.Token;

    // ---- Claiming the machine -------------------------------------------------------------------

    /// <summary>One AppHost per data folder; false (after saying why) when another one holds it.</summary>
    public bool ClaimDataFolder()
    {
        instanceLock = InstanceLock.TryAcquire(DataFolder, out var refusal);
        if (instanceLock is null)
            console.Error(refusal);
        return instanceLock is not null;
    }

    /// <summary>An AppHost killed with SIGKILL cannot clean up; what it left on this folder goes before we
    /// check ports, since it would hold them.</summary>
    public async Task StopLeftoversAsync()
    {
        foreach (var line in File.Exists(childrenFile) ? await File.ReadAllLinesAsync(childrenFile) : [])
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && int.TryParse(parts[0], out var pid) && UnixProcess.CommandLine(pid).Contains(parts[1], StringComparison.Ordinal))
            {
                console.Info($"stopping {Path.GetFileName(parts[1])} (pid {pid}), left running by an earlier AppHost");
                await UnixProcess.TerminateAsync(pid, ServiceStopGrace);
            }
        }
        File.Delete(childrenFile);
        if (await RabbitMqServer.StopLeftoverAsync(Path.Combine(DataFolder, "rabbitmq")))
            console.Info("stopped a RabbitMQ node left running on this data folder by an earlier AppHost");
        if (await PostgresServer.StopLeftoverAsync(Path.Combine(DataFolder, "postgres")))
            console.Info("stopped a PostgreSQL server left running on this data folder by an earlier AppHost");
    }

    /// <summary>False (after naming every taken port and what it was for) when a port we need is in use.</summary>
    public async Task<bool> EnsurePortsFreeAsync()
    {
        var needed = new List<(int Port, string Purpose)>();
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case ServiceResource service:
                    needed.AddRange(service.Instances.Select(i => (i.Port, $"{service.Name}, option --port-base")));
                    break;
                case ConnectionStringResource { Name: "postgres" } when !Supplied("postgres"):
                    needed.Add((Options.PostgresPort, "PostgreSQL, option --postgres-port"));
                    break;
                case ConnectionStringResource { Name: "rabbitmq" } when !Supplied("rabbitmq"):
                    needed.Add((Options.RabbitMqPort, "RabbitMQ AMQP, option --rabbitmq-port"));
                    needed.Add((Options.RabbitMqDistPort, "RabbitMQ distribution, option --rabbitmq-dist-port"));
                    if (Options.RabbitMqManagementPort is { } management)
                        needed.Add((management, "RabbitMQ management, option --rabbitmq-management <port>"));
                    // An epmd already listening there is fine: nodes share it, and we leave it running.
                    if (!FreePort.IsFree(Options.EpmdPort) && !(await Command.RunAsync("epmd", ["-port", Options.EpmdPort.ToString(), "-names"])).Succeeded)
                        needed.Add((Options.EpmdPort, "Erlang port mapper, option --epmd-port"));
                    break;
            }
        }
        var taken = needed.Where(n => !FreePort.IsFree(n.Port)).ToList();
        foreach (var (port, purpose) in taken)
            console.Error($"port {port} on 127.0.0.1 is taken by another process; it is needed for {purpose}.");
        if (taken.Count > 0)
            console.Error("Stop what uses it, or choose other ports. Nothing was started.");
        return taken.Count == 0;
    }

    // ---- Building the model ---------------------------------------------------------------------

    public ConnectionStringResource AddPostgres(string name, string database) =>
        Add(new ConnectionStringResource(name), async resource =>
        {
            var server = await PostgresServer.StartAsync(
                Path.Combine(DataFolder, "postgres"), Options.PostgresPort, database, line => console.Line(name, line), Stopping,
                passwordProtected: true);
            OnStop(StopDatabaseLast, name, server.StopAsync);
            resource.ConnectionString = server.ConnectionString;
            resource.Description = $"127.0.0.1:{server.Port}  database {database}  pid {server.Pid}  data {Path.Combine(server.Folder, "cluster")}";
        });

    public ConnectionStringResource AddRabbitMq(string name) =>
        Add(new ConnectionStringResource(name), async resource =>
        {
            var node = await RabbitMqServer.StartAsync(
                Path.Combine(DataFolder, "rabbitmq"), Options.RabbitMqPort, Options.EpmdPort, Options.RabbitMqDistPort,
                Options.RabbitMqManagementPort, line => console.Line(name, line), Stopping);
            OnStop(StopBrokerNext, name, node.StopAsync);
            resource.ConnectionString = node.ConnectionString;
            resource.ConnectionStringForService = service =>
                BrokerUser.All.Any(u => u.Name == BrokerUser.ForService(service)) ? node.ConnectionStringFor(BrokerUser.ForService(service)) : null;
            resource.Description = $"127.0.0.1:{node.AmqpPort}  node {node.NodeName}  pid {node.Pid}"
                + (node.ManagementPort is { } m ? $"  management http://127.0.0.1:{m}/" : "");
        });

    /// <summary>A <c>dotnet build</c> of <paramref name="target"/> (a solution or a project), output under [build].</summary>
    public StepResource AddBuild(string name, string target)
    {
        var step = new StepResource(name);
        return Add(step, async started =>
        {
            if (!Options.Build)
                return;
            console.Info($"dotnet build {target} -c Debug");
            var build = ChildProcess.Start("build", "dotnet", ["build", target, "-c", "Debug", "--nologo", "-clp:NoSummary"], RepositoryRoot, null, console);
            await using var cancelBuild = Stopping.Register(() => _ = build.StopAsync(TimeSpan.FromSeconds(5)));
            var exitCode = await build.Exited;
            Stopping.ThrowIfCancellationRequested();
            if (exitCode != 0)
                throw new AppHostFailure($"dotnet build {target} failed with exit code {exitCode}; the errors are above under [build].");
        });
    }

    /// <summary>A service of ours: <c>services/&lt;Folder&gt;/Bitcain.&lt;Folder&gt;.csproj</c>, one instance per port.</summary>
    public ServiceResource AddService(string name, string project, IEnumerable<int> ports, string healthPath = "/health")
    {
        var assembly = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug", "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
        var service = new ServiceResource(name, project, assembly, ports, healthPath);
        var previous = resources.OfType<ServiceResource>().LastOrDefault();
        return Add(service, async _ =>
        {
            // One at a time, in the order added: a .NET start-up takes a core, and the order is the
            // dependency order, so a failure names the first service that broke.
            if (previous is not null)
                await previous.Ready.WaitAsync(Stopping);
            foreach (var instance in service.Instances)
                await StartInstanceAsync(instance);
        });
    }

    private T Add<T>(T resource, Func<T, Task> start) where T : Resource
    {
        resources.Add(resource);
        starts.Add(resource, async () =>
        {
            try
            {
                foreach (var dependency in resource.WaitsFor)
                    await dependency.Ready.WaitAsync(Stopping);
                if (resource is ConnectionStringResource server && Supplied(server.Name))
                {
                    server.Supplied = true;
                    server.ConnectionString = Environment.GetEnvironmentVariable($"ConnectionStrings__{server.Name}");
                    server.Description = $"supplied by ConnectionStrings__{server.Name}; nothing started";
                }
                else
                {
                    await start(resource);
                }
                resource.MarkReady();
            }
            catch (Exception e)
            {
                resource.MarkFailed(e);
                abort.Cancel();
                throw;
            }
        });
        return resource;
    }

    private readonly Dictionary<Resource, Func<Task>> starts = [];

    private static bool Supplied(string name) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable($"ConnectionStrings__{name}"));

    // ---- Running --------------------------------------------------------------------------------

    /// <summary>Starts every resource once what it waits for is ready; those that wait for nothing
    /// (PostgreSQL, RabbitMQ, the build) start together. Throws <see cref="AppHostFailure"/> when one fails
    /// and <see cref="OperationCanceledException"/> when a stop was requested or a child crashed meanwhile.</summary>
    public async Task StartAsync()
    {
        var running = resources.Select(r => starts[r]()).ToList();
        try
        {
            await Task.WhenAll(running);
        }
        catch
        {
            // Report the cause, not the resources that merely waited for it.
            var cause = running.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null && crashed is null)
                throw cause is AppHostFailure ? cause : new AppHostFailure(cause.Message);
            throw new OperationCanceledException(Stopping);
        }
    }

    /// <summary>Until Ctrl-C, SIGTERM or a child's crash.</summary>
    public async Task WaitForStopAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void RequestStop(string reason)
    {
        if (StopRequested || abort.IsCancellationRequested)
            return;
        StopRequested = true;
        console.Info($"{reason}; stopping everything");
        abort.Cancel();
    }

    private async Task StartInstanceAsync(ServiceInstance instance)
    {
        var service = instance.Service;
        var assembly = Path.Combine(RepositoryRoot, service.Assembly);
        if (!File.Exists(assembly))
            throw new AppHostFailure($"{service.Name}: {service.Assembly} does not exist; build the solution (drop --no-build).");

        var environment = ChildEnvironment.For(service, instance, Options);
        var name = instance.Name;
        var child = ChildProcess.Start(name, "dotnet", [assembly, .. service.Arguments],
            Path.Combine(RepositoryRoot, Path.GetDirectoryName(service.Project)!), environment, console);
        instance.Process = child;
        await File.AppendAllTextAsync(childrenFile, $"{child.Pid} {assembly}\n");
        OnStop(StopServicesFirst, name, () => child.StopAsync(ServiceStopGrace));
        _ = child.Exited.ContinueWith(exited =>
        {
            if (child.Stopping || crashed is not null || abort.IsCancellationRequested)
                return;
            // Scaled out, the other instances carry on, as they would in a cluster: the suite stops only when
            // a service has no instance left.
            var survivors = service.Instances.Count(i => i.Process is { Exited.IsCompleted: false });
            if (survivors > 0)
            {
                console.Error($"{name} (pid {child.Pid}) exited with exit code {exited.Result}; {survivors} of {service.Instances.Count} {service.Name} instances run on. Its last lines:\n"
                    + string.Join('\n', child.LastLines.Split('\n').TakeLast(10).Select(line => "  | " + line)));
                return;
            }
            crashed = child;
            abort.Cancel();
        }, TaskScheduler.Default);
        console.Info($"started {name} (pid {child.Pid}) on {instance.Url}; waiting for GET {service.HealthPath}");

        await WaitUntilHealthyAsync(child, instance.Url + service.HealthPath);
        console.Info($"{name} is healthy");
    }

    private async Task WaitUntilHealthyAsync(ChildProcess child, string url)
    {
        var deadline = DateTime.UtcNow + Options.HealthTimeout;
        while (true)
        {
            Stopping.ThrowIfCancellationRequested();
            try
            {
                using var response = await http.GetAsync(url, Stopping);
                if ((int)response.StatusCode == 200)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!Stopping.IsCancellationRequested)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new AppHostFailure(
                    $"{child.Name} (pid {child.Pid}) did not answer 200 on GET {url} within {Options.HealthTimeout.TotalSeconds:0} s. Its last lines:",
                    child.LastLines);
            await Task.Delay(250, Stopping);
        }
    }

    private void OnStop(int priority, string name, Func<Task> stop)
    {
        lock (stops)
            stops.Add((priority, stops.Count, name, stop));
    }

    /// <summary>Stops everything that was started, services first (newest first), then RabbitMQ, then PostgreSQL.</summary>
    public async ValueTask DisposeAsync()
    {
        abort.Cancel();
        List<(int Priority, int Sequence, string Name, Func<Task> Stop)> order;
        lock (stops)
            order = stops.OrderBy(s => s.Priority).ThenByDescending(s => s.Sequence).ToList();
        foreach (var (_, _, name, stop) in order)
        {
            try
            {
                await stop();
            }
            catch (Exception e)
            {
                console.Error($"stopping {name} failed: {e.Message}");
            }
        }
        if (order.Count > 0)
            console.Info("everything it started has stopped");
        if (instanceLock is not null)
            File.Delete(childrenFile);
        foreach (var signal in signals)
            signal.Dispose();
        http.Dispose();
        instanceLock?.Dispose();
    }
}
