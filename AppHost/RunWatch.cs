using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Bitcain.AppHost.Security;
using Bitcain.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bitcain.AppHost;

/// <summary>
/// What the developer sees on the console of a run that Aspire orchestrates: each resource as it starts, the table of
/// what runs where with the dashboard, a token and two requests to try once everything is healthy (the last line,
/// <see cref="ReadyLine"/>, is what scripts and tests wait for), and a service that exits on its own, named with its
/// last lines. A crash stops the run with exit code 1, as does a service that does not turn healthy in time; scaled
/// out, the other instances carry on, as they would in a cluster, until a service has none left.
/// </summary>
public sealed partial class RunWatch(
    DistributedApplication app,
    AppHostOptions options,
    string dataFolder,
    IReadOnlyList<ServiceInstances> services,
    PostgresServer? postgres,
    RabbitMqServer? rabbitmq,
    IResource? simulator,
    string browserToken)
{
    public const string ReadyLine = "Bitcain is ready. Ctrl-C stops everything.";

    private readonly ConcurrentDictionary<string, int> pids = new();
    private readonly ConcurrentDictionary<string, Queue<string>> lastLines = new();
    private readonly ResourceNotificationService notifications = app.Services.GetRequiredService<ResourceNotificationService>();
    private readonly IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
    private volatile string? failure;

    private IEnumerable<IResource> Projects =>
        (simulator is null ? [] : new[] { simulator }).Concat(services.SelectMany(s => s.Instances).Select(i => (IResource)i.Resource));

    public async Task<int> RunAsync(CancellationToken stopRequested, string demoToken)
    {
        // A signal that came during the first-run setup, or comes while Aspire starts, stops the host once it runs.
        using var stop = stopRequested.Register(lifetime.StopApplication);
        var stopping = lifetime.ApplicationStopping;
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in Projects)
            _ = KeepLastLinesAsync(loggers, resource, stopping);
        _ = WatchAsync(stopping);

        try
        {
            // A crash or a signal while Aspire still starts resources cancels the start; the stop below still runs.
            await app.StartAsync(stopping);
            await WaitUntilHealthyAsync(stopping);
            if (simulator is not null)
                Console.WriteLine(await RenderSimulatedAccountsAsync(stopping));
            Console.WriteLine(Render(demoToken));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (TimeoutException e)
        {
            Fail(e.Message);
        }
        await app.WaitForShutdownAsync();
        Console.WriteLine("[apphost] everything it started has stopped");
        if (failure is not null)
        {
            Console.Error.WriteLine(failure);
            return 1;
        }
        return 0;
    }

    private void Fail(string message)
    {
        if (failure is not null || lifetime.ApplicationStopping.IsCancellationRequested)
            return;
        failure = message;
        Console.Error.WriteLine(message);
        lifetime.StopApplication();
    }

    /// <summary>Each service in dependency order, with <c>--health-timeout</c> from when it runs to when it answers.</summary>
    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        if (postgres is not null)
        {
            await notifications.WaitForResourceHealthyAsync("postgres", ct);
            LocalRun.Say("postgres", $"healthy on 127.0.0.1:{postgres.Port} (pid {postgres.Pid})");
        }
        if (rabbitmq is not null)
        {
            await notifications.WaitForResourceHealthyAsync("rabbitmq", ct);
            LocalRun.Say("rabbitmq", $"healthy on 127.0.0.1:{rabbitmq.AmqpPort} as {rabbitmq.NodeName} (pid {rabbitmq.Pid})");
        }
        foreach (var resource in Projects)
        {
            await notifications.WaitForResourceAsync(resource.Name, e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(options.HealthTimeout);
            try
            {
                await notifications.WaitForResourceHealthyAsync(resource.Name, limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"{resource.Name} (pid {Pid(resource.Name)}) did not answer 200 on GET {(resource == simulator ? "/__sim/accounts" : "/health")} within {options.HealthTimeout.TotalSeconds:0} s. Its last lines:\n{LastLines(resource.Name)}");
            }
            Console.WriteLine($"[apphost] {resource.Name} is healthy");
        }
    }

    /// <summary>Names each process as it starts, and a service that exits while the run is not stopping.</summary>
    private async Task WatchAsync(CancellationToken ct)
    {
        var projects = Projects.ToDictionary(p => p.Name);
        try
        {
            await foreach (var change in notifications.WatchAsync(ct))
            {
                if (!projects.ContainsKey(change.Resource.Name))
                    continue;
                var name = change.Resource.Name;
                var state = change.Snapshot.State?.Text;
                if (state == KnownResourceStates.Running && !pids.ContainsKey(name) && RunPid(change.Snapshot) is { } runPid)
                {
                    // Aspire runs a project with `dotnet run --no-build`, which starts the service as its child: the
                    // child is the process that serves, and the one an operator would signal.
                    var pid = await ServiceProcessAsync(change.Resource, runPid);
                    if (pids.TryAdd(name, pid))
                    {
                        var url = change.Snapshot.Urls.FirstOrDefault()?.Url;
                        Console.WriteLine($"[apphost] started {name} (pid {pid}) on {url}; waiting for it to be healthy");
                    }
                }
                else if (state is "Exited" or "Finished" or "FailedToStart" && !ct.IsCancellationRequested && failure is null)
                {
                    if (!pids.ContainsKey(name) && RunPid(change.Snapshot) is { } runPid2)
                        pids.TryAdd(name, runPid2);
                    await OnExitedAsync(change.Resource, change.Snapshot.ExitCode);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task OnExitedAsync(IResource resource, int? exitCode)
    {
        var service = services.FirstOrDefault(s => s.Instances.Any(i => i.Resource == resource));
        var survivors = service?.Instances.Count(i => i.Resource != resource && IsRunning(i.Resource.Name)) ?? 0;
        var what = $"{resource.Name} (pid {Pid(resource.Name)}) exited unexpectedly with exit code {exitCode?.ToString() ?? "unknown"}";
        if (survivors > 0)
        {
            Console.Error.WriteLine($"{what}; {survivors} of {service!.Instances.Count} {service.Name} instances run on. Its last lines:\n{LastLines(resource.Name)}");
            return;
        }
        Fail($"{what}. Its last lines:\n{await AllLastLinesAsync(resource)}");
    }

    private static int? RunPid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value && int.TryParse(value.ToString(), out var pid)
            ? pid
            : null;

    private bool IsRunning(string name) =>
        notifications.TryGetCurrentState(name, out var current) && current.Snapshot.State?.Text == KnownResourceStates.Running;

    /// <summary>The service among <c>dotnet run</c>'s children (it may start others first, for its own work): the
    /// one running the project's build output.</summary>
    private static async Task<int> ServiceProcessAsync(IResource resource, int runPid)
    {
        var assembly = resource is ProjectResource project
            ? Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath)
            : resource.Name;
        for (var i = 0; i < 300; i++)
        {
            foreach (var child in UnixProcess.Children(runPid))
            {
                var commandLine = UnixProcess.CommandLine(child);
                if (commandLine.Contains("/bin/", StringComparison.Ordinal) && commandLine.Contains(assembly, StringComparison.Ordinal)
                    && !commandLine.Contains(".csproj", StringComparison.Ordinal))
                    return child;
            }
            await Task.Delay(100);
        }
        return runPid;
    }

    private string Pid(string name) => pids.TryGetValue(name, out var pid) ? pid.ToString() : "not started";

    // By resource, not by name: DCP's names for the processes carry a suffix (the dashboard's resource ids).
    private async Task KeepLastLinesAsync(ResourceLoggerService loggers, IResource resource, CancellationToken ct)
    {
        var lines = lastLines.GetOrAdd(resource.Name, _ => new Queue<string>());
        try
        {
            await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(ct))
            {
                lock (lines)
                {
                    foreach (var line in batch)
                    {
                        lines.Enqueue(line.Content);
                        while (lines.Count > 20)
                            lines.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The last lines the watcher has; for a process that died as it started, before its output was streamed
    /// to the watcher, what DCP kept (asked for a few seconds at most: the stream may not end on its own).</summary>
    private async Task<string> AllLastLinesAsync(IResource resource)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var kept = LastLines(resource.Name);
        if (kept.Length > 0)
            return kept;
        var lines = new List<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var collect = Task.Run(async () =>
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(limit.Token))
            {
                lock (lines)
                    lines.AddRange(batch.Select(line => line.Content));
            }
        }, limit.Token);
        await Task.WhenAny(collect, Task.Delay(TimeSpan.FromSeconds(5)));
        lock (lines)
            return string.Join('\n', lines.TakeLast(20).Select(line => "  | " + line));
    }

    private string LastLines(string name)
    {
        var lines = lastLines.GetOrAdd(name, _ => new Queue<string>());
        lock (lines)
            return string.Join('\n', lines.Select(line => "  | " + line));
    }

    /// <summary>The console shows where the servers are, not their passwords: those stay in the data folder (mode 600),
    /// and the demo token is the only secret this report prints.</summary>
    internal static string WithoutPassword(string connectionString) =>
        PasswordPattern().Replace(connectionString, m => m.Groups["key"].Success ? $"{m.Groups["key"].Value}=***" : $"://{m.Groups["user"].Value}:***@");

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<key>Password)=[^;]*|://(?<user>[^:/@]+):[^@]*@", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex PasswordPattern();

    private string Render(string demoToken)
    {
        var text = new StringBuilder().AppendLine().AppendLine("  name         url                        port   pid");
        foreach (var resource in Projects)
        {
            var port = resource.TryGetEndpoints(out var endpoints) ? endpoints.First().Port : null;
            text.AppendLine($"  {resource.Name,-12} {$"http://127.0.0.1:{port}",-26} {port,-6} {Pid(resource.Name)}");
        }
        if (postgres is not null)
        {
            text.AppendLine($"  {"postgres",-12} {WithoutPassword(postgres.ConnectionString)}");
            text.AppendLine($"  {"",-12} 127.0.0.1:{postgres.Port}  database {postgres.Database}  pid {postgres.Pid}  data {Path.Combine(postgres.Folder, "cluster")}");
        }
        else
        {
            text.AppendLine($"  {"postgres",-12} {WithoutPassword(Environment.GetEnvironmentVariable("ConnectionStrings__postgres") ?? "")}");
            text.AppendLine($"  {"",-12} supplied by ConnectionStrings__postgres; nothing started");
        }
        if (rabbitmq is not null)
        {
            text.AppendLine($"  {"rabbitmq",-12} {WithoutPassword(rabbitmq.ConnectionString)}");
            text.AppendLine($"  {"",-12} 127.0.0.1:{rabbitmq.AmqpPort}  node {rabbitmq.NodeName}  pid {rabbitmq.Pid}"
                + (rabbitmq.ManagementPort is { } m ? $"  management http://127.0.0.1:{m}/" : ""));
        }
        else
        {
            text.AppendLine($"  {"rabbitmq",-12} supplied by ConnectionStrings__rabbitmq; nothing started");
        }
        text.AppendLine($"  {"data",-12} {dataFolder}");
        var gateways = services.First(s => s.Name == "gateway").Instances;
        var api = gateways[0].GetEndpoint("http").Url.Replace("localhost", "127.0.0.1");
        if (gateways.Count > 1)
            text.AppendLine().AppendLine($"  {gateways.Count} gateways, any of them answers: {string.Join("  ", gateways.Select(g => g.GetEndpoint("http").Url.Replace("localhost", "127.0.0.1")))}");
        return text
            .AppendLine()
            .AppendLine($"  Dashboard (traces, logs, metrics; its login token is in the URL, keep it to yourself):")
            .AppendLine($"  http://127.0.0.1:{options.DashboardPort}/login?t={browserToken}")
            .AppendLine()
            .AppendLine($"  Bearer token for {BearerTokens.DemoUser} (24 h; more with: bash ops/run.sh token --user <id>):")
            .AppendLine($"  export TOKEN={demoToken}")
            .AppendLine($"  curl -H \"Authorization: Bearer $TOKEN\" {api}/api/exchange/supported")
            .AppendLine($"  curl -H \"Authorization: Bearer $TOKEN\" {api}/api/exchange/credentials")
            .AppendLine()
            .Append(ReadyLine)
            .ToString();
    }

    /// <summary>The simulator's demo accounts, to paste into a credentials request.</summary>
    private async Task<string> RenderSimulatedAccountsAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var accounts = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{options.SimulatorPort}/__sim/accounts", ct));
        var text = new StringBuilder().AppendLine().AppendLine("  Simulated exchange accounts:")
            .AppendLine("  exchange    name            api_key                  api_secret                           passphrase  permissions");
        foreach (var account in accounts.RootElement.EnumerateArray())
        {
            text.AppendLine(
                $"  {Field(account, "exchange"),-11} {Field(account, "name"),-15} {Field(account, "api_key"),-24} {Field(account, "api_secret"),-36} {Field(account, "passphrase"),-11} {Field(account, "permissions")}");
        }
        return text.ToString();
    }

    private static string Field(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? "" : value.ValueKind switch
        {
            JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.ToString())),
            JsonValueKind.Null => "",
            _ => value.ToString(),
        };
}
