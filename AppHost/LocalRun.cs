using System.Runtime.InteropServices;
using Bitcain.LocalServers;

namespace Bitcain.AppHost;

/// <summary>
/// What a local run needs around Aspire and only Bitcain needs: leftovers of a run killed with SIGKILL stopped,
/// ports checked before anything starts, the private servers' first-run setup, the dashboard kept on 127.0.0.1,
/// and after the run, the node's epmd (which outlives the node) stopped.
/// </summary>
public sealed class LocalRun(AppHostOptions options, string dataFolder)
{
    private bool startedEpmd;

    private string PostgresFolder => Path.Combine(dataFolder, "postgres");

    private string RabbitMqFolder => Path.Combine(dataFolder, "rabbitmq");

    public static bool Supplied(string name) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable($"ConnectionStrings__{name}"));

    /// <summary>An AppHost killed with SIGKILL cannot clean up (DCP stops the services it ran when its parent
    /// dies); the servers it left on this folder go before the ports are checked, since they would hold them.</summary>
    public async Task StopLeftoversAsync()
    {
        if (await RabbitMqServer.StopLeftoverAsync(RabbitMqFolder))
            Say("rabbitmq", "stopped a node left running on this data folder by an earlier AppHost");
        if (await PostgresServer.StopLeftoverAsync(PostgresFolder))
            Say("postgres", "stopped a server left running on this data folder by an earlier AppHost");
    }

    /// <summary>False (after naming every taken port and what it was for) when a port we need is in use.</summary>
    public bool EnsurePortsFree()
    {
        var needed = new List<(int Port, string Purpose)>();
        foreach (var (name, offset) in new[] { ("gateway", 0), ("credentials", 1), ("sync", 2), ("market", 3) })
            needed.AddRange(Enumerable.Range(0, options.Replicas).Select(i => (options.ServicePort(offset, i), $"{name}, option --port-base")));
        if (options.SimulatedExchanges)
            needed.Add((options.SimulatorPort, "the exchange simulator, option --simulator-port"));
        needed.Add((options.DashboardPort, "Aspire's dashboard, option --dashboard-port"));
        needed.Add((options.DashboardPort + 1, "the dashboard's OTLP endpoint, option --dashboard-port (n+1)"));
        if (!Supplied("postgres"))
            needed.Add((options.PostgresPort, "PostgreSQL, option --postgres-port"));
        if (!Supplied("rabbitmq"))
        {
            needed.Add((options.RabbitMqPort, "RabbitMQ AMQP, option --rabbitmq-port"));
            needed.Add((options.RabbitMqDistPort, "RabbitMQ distribution, option --rabbitmq-dist-port"));
            if (options.RabbitMqManagementPort is { } management)
                needed.Add((management, "RabbitMQ management, option --rabbitmq-management <port>"));
        }
        var taken = needed.Where(n => !FreePort.IsFree(n.Port)).ToList();
        foreach (var (port, purpose) in taken)
            Console.Error.WriteLine($"port {port} on 127.0.0.1 is taken by another process; it is needed for {purpose}.");
        if (taken.Count > 0)
            Console.Error.WriteLine("Stop what uses it, or choose other ports. Nothing was started.");
        return taken.Count == 0;
    }

    /// <summary>First-run setup of the servers we run (none for a server named by ConnectionStrings__*).</summary>
    public async Task<(PostgresServer? Postgres, RabbitMqServer? RabbitMq)> PrepareServersAsync()
    {
        PostgresServer? postgres = null;
        if (!Supplied("postgres"))
        {
            Say("postgres", $"preparing a private cluster for 127.0.0.1:{options.PostgresPort} in {PostgresFolder}");
            postgres = await PostgresServer.PrepareAsync(PostgresFolder, options.PostgresPort, "bitcain", line => Say("postgres", line));
        }
        RabbitMqServer? rabbitmq = null;
        if (!Supplied("rabbitmq"))
        {
            Say("rabbitmq", $"preparing a private node for 127.0.0.1:{options.RabbitMqPort} in {RabbitMqFolder}");
            // An epmd already listening on the port is shared (and left running); one the node starts is ours to stop.
            startedEpmd = !(await Command.RunAsync("epmd", ["-port", options.EpmdPort.ToString(), "-names"])).Succeeded;
            if (startedEpmd && !FreePort.IsFree(options.EpmdPort))
                throw new InvalidOperationException($"port {options.EpmdPort} on 127.0.0.1 is taken by another process; it is needed for the Erlang port mapper, option --epmd-port.");
            rabbitmq = RabbitMqServer.Prepare(RabbitMqFolder, options.RabbitMqPort, options.EpmdPort, options.RabbitMqDistPort, options.RabbitMqManagementPort);
        }
        return (postgres, rabbitmq);
    }

    /// <summary>The dashboard on 127.0.0.1 only, behind a login token we choose (so we can print its login URL); its
    /// OTLP endpoint beside it, plain HTTP because nothing leaves the machine. Given as configuration, not as our
    /// environment, which every resource would inherit.</summary>
    public string[] DashboardArguments(string browserToken) =>
    [
        $"--ASPNETCORE_URLS=http://127.0.0.1:{options.DashboardPort}",
        $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{options.DashboardPort + 1}",
        $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
        "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={browserToken}",
        // Without it the AppHost exits while DCP is still stopping the services and servers: a SIGTERM must return
        // only once nothing it started runs. (Aspire.Hosting.Testing sets the same.)
        "--DcpPublisher:WaitForResourceCleanup=true",
    ];

    /// <summary>DCP stops the servers with the rest; what it could not (a node still shutting down when DCP gave up)
    /// and the node's epmd go here.</summary>
    public async Task StopWhatOutlivedTheRunAsync()
    {
        if (!Supplied("rabbitmq") && await RabbitMqServer.StopLeftoverAsync(RabbitMqFolder))
            Say("rabbitmq", "stopped the node, which outlived the run");
        if (!Supplied("postgres") && await PostgresServer.StopLeftoverAsync(PostgresFolder))
            Say("postgres", "stopped the server, which outlived the run");
        if (startedEpmd)
            await RabbitMqServer.StopEpmdAsync(options.EpmdPort);
    }

    public static void Say(string resource, string line) => Console.WriteLine($"[{resource}] {line}");
}

/// <summary>Ctrl-C, SIGTERM and SIGHUP from the moment the AppHost starts: before Aspire's host listens (the first-run
/// setup), a signal must still end the run cleanly rather than kill it mid-way; once the host runs, Aspire stops.</summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource requested = new();
    private readonly List<PosixSignalRegistration> registrations;

    public StopSignals() =>
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                requested.Cancel();
            }))];

    public CancellationToken Requested => requested.Token;

    public void Dispose()
    {
        foreach (var registration in registrations)
            registration.Dispose();
        requested.Dispose();
    }
}
