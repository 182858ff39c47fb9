namespace Bitcain.AppHost.Orchestration;

/// <summary>Anything a service can wait for: it is ready once <see cref="Ready"/> completes.</summary>
public abstract class Resource(string name)
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Resource> waitsFor = [];

    public string Name { get; } = name;

    public Task Ready => ready.Task;

    public IReadOnlyList<Resource> WaitsFor => waitsFor;

    internal void AddWait(Resource resource) => waitsFor.Add(resource);

    internal void MarkReady() => ready.TrySetResult();

    internal void MarkFailed(Exception e) => ready.TrySetException(e);
}

public static class ResourceExtensions
{
    /// <summary>Starts <paramref name="resource"/> only once <paramref name="dependency"/> is ready.</summary>
    public static T WaitFor<T>(this T resource, Resource dependency) where T : Resource
    {
        resource.AddWait(dependency);
        return resource;
    }
}

/// <summary>A server the services reach through <c>ConnectionStrings__&lt;name&gt;</c>: started by us, or the
/// user's own when the AppHost's environment supplies that connection string.</summary>
public sealed class ConnectionStringResource(string name) : Resource(name)
{
    public string? ConnectionString { get; internal set; }

    /// <summary>A service's own login on a server we started (the broker: one user per service); null: every
    /// service shares <see cref="ConnectionString"/>, as with a supplied server.</summary>
    internal Func<string, string?>? ConnectionStringForService { get; set; }

    /// <summary>What <paramref name="service"/> connects with.</summary>
    public string ConnectionStringFor(string service) =>
        (Supplied ? null : ConnectionStringForService?.Invoke(service)) ?? ConnectionString!;

    /// <summary>True when the connection string came from the environment and nothing was started for it.</summary>
    public bool Supplied { get; internal set; }

    /// <summary>A line for the table of what runs where.</summary>
    public string Description { get; internal set; } = "";
}

/// <summary>One step that must finish before anything that waits for it starts (the solution build).</summary>
public sealed class StepResource(string name) : Resource(name);

/// <summary>A .NET service run from its build output: one instance per port (<c>--replicas</c>).</summary>
public sealed class ServiceResource : Resource
{
    private readonly Dictionary<string, Func<string>> environment = new(StringComparer.Ordinal);

    internal ServiceResource(string name, string project, string assembly, IEnumerable<int> ports, string healthPath) : base(name)
    {
        Project = project;
        Assembly = assembly;
        HealthPath = healthPath;
        Instances = ports.Select((port, index) => new ServiceInstance(this, index, port)).ToList();
    }

    /// <summary>The project file, relative to the repository.</summary>
    public string Project { get; }

    /// <summary>The built assembly, relative to the repository.</summary>
    public string Assembly { get; }

    /// <summary>The path that answers 200 once the service is up.</summary>
    public string HealthPath { get; }

    /// <summary>Arguments after the assembly; the exchange simulator takes its URL this way.</summary>
    public IReadOnlyList<string> Arguments { get; internal set; } = [];

    public IReadOnlyList<ServiceInstance> Instances { get; }

    public IReadOnlyDictionary<string, Func<string>> Environment => environment;

    /// <summary>Sets <c>ConnectionStrings__&lt;name&gt;</c> once the server is known.</summary>
    public ServiceResource WithReference(ConnectionStringResource server)
    {
        environment[$"ConnectionStrings__{server.Name}"] = () => server.ConnectionStringFor(Name);
        return this;
    }

    /// <summary>Aspire's service discovery convention: <c>services__&lt;name&gt;__http__&lt;i&gt;</c> per instance.</summary>
    public ServiceResource WithReference(ServiceResource service)
    {
        foreach (var instance in service.Instances)
            environment[$"services__{service.Name}__http__{instance.Index}"] = () => instance.Url;
        return this;
    }

    public ServiceResource WithEnvironment(string key, string value)
    {
        environment[key] = () => value;
        return this;
    }

    public ServiceResource WithArguments(params string[] arguments)
    {
        Arguments = arguments;
        return this;
    }

    /// <summary>Points every exchange client at the simulator: <c>Exchanges__&lt;name&gt;__BaseUrl</c>.</summary>
    public ServiceResource WithSimulatedExchanges(ServiceResource simulator)
    {
        foreach (var exchange in SimulatedExchanges)
            environment[$"Exchanges__{exchange}__BaseUrl"] = () => $"{simulator.Instances[0].Url}/{exchange}";
        return this;
    }

    public static readonly IReadOnlyList<string> SimulatedExchanges =
        ["binance", "binanceus", "kraken", "coinbase", "bybit", "kucoin", "okx", "bitfinex", "gate_io"];

    public ServiceResource WithEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach (var (key, value) in variables)
            WithEnvironment(key, value);
        return this;
    }

}

public sealed class ServiceInstance(ServiceResource service, int index, int port)
{
    public ServiceResource Service { get; } = service;

    public int Index { get; } = index;

    public int Port { get; } = port;

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary><c>sync</c> when it runs alone, <c>sync-0</c>, <c>sync-1</c>... when scaled out.</summary>
    public string Name => Service.Instances.Count == 1 ? Service.Name : $"{Service.Name}-{Index}";

    public ChildProcess? Process { get; internal set; }
}
