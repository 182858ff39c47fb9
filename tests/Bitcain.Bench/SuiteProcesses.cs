using System.Diagnostics;
using Bitcain.Testing;

namespace Bitcain.Bench;

/// <summary>The four services as real processes on real ports (Release build), as a user would run them.</summary>
public sealed class SuiteProcesses : IAsyncDisposable
{
    private static readonly string[] Services = ["Credentials", "Sync", "Market", "Gateway"];
    private readonly List<(string Name, Process Process)> _processes = [];
    public string GatewayUrl => GatewayUrls[0];

    /// <summary>Every gateway instance; loads spread over them as a load balancer would.</summary>
    public List<string> GatewayUrls { get; } = [];

    public string TokenFor(string user) => TestTokens.For(user);

    /// <param name="instances">Instances of every service, gateways included (the scale-out figures).</param>
    public static async Task<SuiteProcesses> StartAsync(TestInfrastructure infrastructure, BenchOptions options, IReadOnlyDictionary<string, string>? environment = null,
        int instances = 1)
    {
        var root = FindRepositoryRoot();
        foreach (var service in Services)
            await RunAsync("dotnet", ["build", Path.Combine(root, "services", service), "-c", "Release", "-nologo", "-v", "quiet"], root);

        var suite = new SuiteProcesses { _root = root, _infrastructure = infrastructure, _environment = environment };
        var ports = Bitcain.LocalServers.FreePort.NextRange(Services.Length * instances);
        for (var i = 0; i < Services.Length; i++)
        for (var instance = 0; instance < instances; instance++)
        {
            var name = instances == 1 ? Services[i] : $"{Services[i]}-{instance}";
            var url = $"http://127.0.0.1:{ports + i * instances + instance}";
            // The gateway finds the services' query endpoints as the AppHost tells it: services__<name>__http__<i>.
            var discovery = Services[i] == "Gateway" ? suite._discovery : null;
            await suite.StartProcessAsync(Services[i], name, url, discovery);
            if (Services[i] == "Gateway") suite.GatewayUrls.Add(url);
            else suite._discovery[$"services__{Services[i].ToLowerInvariant()}__http__{instance}"] = url;
        }
        return suite;
    }

    private string _root = "";
    private TestInfrastructure _infrastructure = null!;
    private IReadOnlyDictionary<string, string>? _environment;
    private readonly Dictionary<string, string> _discovery = [];
    private readonly List<(string Name, TimeSpan Startup)> _startups = [];

    /// <summary>
    /// Another gateway beside the suite's, for comparing read paths in one run: without discovery it asks every query on
    /// the bus (the read path as it was); <paramref name="environment"/> adds settings (e.g. no ticker hold).
    /// </summary>
    public async Task<string> StartExtraGatewayAsync(string name, bool discovery, IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = $"http://127.0.0.1:{Bitcain.LocalServers.FreePort.NextRange(1)}";
        var settings = new Dictionary<string, string>(discovery ? _discovery : []);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) settings[key] = value;
        await StartProcessAsync("Gateway", name, url, settings);
        return url;
    }

    /// <summary>The first instance of a service (<c>credentials</c>, ...), as discovery names it to the gateway.</summary>
    public string ServiceUrl(string service) => _discovery[$"services__{service}__http__0"];

    /// <summary>From the process's start to its first healthy <c>/health</c>, per process.</summary>
    public IReadOnlyList<(string Name, TimeSpan Startup)> StartupFigures() => _startups;

    private async Task StartProcessAsync(string service, string name, string url, IReadOnlyDictionary<string, string>? discovery)
    {
        var folder = Path.Combine(_root, "services", service);
        var info = new ProcessStartInfo("dotnet", [Path.Combine(folder, "bin", "Release", "net10.0", $"Bitcain.{service}.dll")])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Named as the AppHost names its instances: pg_stat_activity says which one holds what.
        info.Environment["ConnectionStrings__postgres"] = $"{_infrastructure.Postgres.TrimEnd(';')};Application Name={name.ToLowerInvariant()}";
        info.Environment["ConnectionStrings__rabbitmq"] = _infrastructure.RabbitMq;
        info.Environment["Auth__SigningKey"] = TestTokens.SigningKey;
        info.Environment["Credentials__MasterKey"] = BitcainSuite.TestMasterKey;
        info.Environment["Gateway__SealingKeyFingerprint"] = Bitcain.Secrets.SealingKeyPin.FingerprintForMasterKey(BitcainSuite.TestMasterKey);
        foreach (var (key, value) in TestBusIdentities.EnvironmentFor(service.ToLowerInvariant()))
            info.Environment[key] = value;
        info.Environment["Gateway__RateLimitPermits"] = "100000000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in discovery ?? new Dictionary<string, string>()) info.Environment[key] = value;
        foreach (var (key, value) in _environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1") Console.WriteLine($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add((name, process));
        await WaitHealthyAsync(name, url);
        _startups.Add((name, clock.Elapsed));
    }

    /// <summary>The process id of the instance named <paramref name="name"/> (<c>Gateway</c>, <c>Credentials</c>, ...).</summary>
    public int PidOf(string name) => _processes.First(p => p.Name == name).Process.Id;

    /// <summary>Every running process of the suite, for reading its CPU time.</summary>
    public IReadOnlyList<(string Name, int Pid)> Pids() =>
        _processes.Where(p => !p.Process.HasExited).Select(p => (p.Name.ToLowerInvariant(), p.Process.Id)).ToList();

    public IReadOnlyList<(string Name, long WorkingSetBytes)> MemoryFigures() =>
        _processes.Select(p =>
        {
            p.Process.Refresh();
            return (p.Name, p.Process.WorkingSet64);
        }).ToList();

    private static async Task WaitHealthyAsync(string name, string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(url + "/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(300);
        }
        throw new InvalidOperationException($"{name} did not become healthy at {url}");
    }

    private static async Task RunAsync(string file, string[] arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bitcain.sln"))) return dir.FullName;
        throw new InvalidOperationException("Bitcain.sln not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in Enumerable.Reverse(_processes))
        {
            if (process.HasExited) continue;
            Bitcain.LocalServers.UnixProcess.Signal(process.Id, Bitcain.LocalServers.UnixProcess.SigTerm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
    }
}
