using Aspire.Hosting.ApplicationModel;

namespace Bitcain.AppHost;

/// <summary>
/// The instances of one service: a single project resource (<c>sync</c>), or with <c>--replicas n</c> one per
/// instance (<c>sync-0</c>, <c>sync-1</c>...), each on its own port (<see cref="AppHostOptions.ServicePort"/>).
/// Aspire's <c>WithReplicas</c> would put the replicas behind one proxied port; a cluster's operator (and the
/// scaled-out tests) address, watch and kill an instance by its own port and pid, so each is a resource of its own.
/// The others find every instance in Aspire's convention, <c>services__&lt;name&gt;__http__&lt;i&gt;</c>.
/// </summary>
public sealed class ServiceInstances
{
    // Per application: a test process may build the AppHost more than once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDistributedApplicationBuilder, Dictionary<string, (IResourceBuilder<ParameterResource> Parameter, string Value)>> SecretsOf = new();

    private ServiceInstances(string name, IReadOnlyList<IResourceBuilder<ProjectResource>> instances)
    {
        Name = name;
        Instances = instances;
    }

    public string Name { get; }

    public IReadOnlyList<IResourceBuilder<ProjectResource>> Instances { get; }

    public static ServiceInstances Add<TProject>(IDistributedApplicationBuilder builder, string name, AppHostOptions options, int offset)
        where TProject : IProjectMetadata, new()
    {
        var instances = Enumerable.Range(0, options.Replicas).Select(replica =>
            builder.AddProject<TProject>(options.Replicas == 1 ? name : $"{name}-{replica}")
                // Not proxied: the port is the instance's own, so what listens there is the service itself.
                .WithHttpEndpoint(port: options.ServicePort(offset, replica), name: "http", isProxied: false)
                .WithHttpHealthCheck("/health", endpointName: "http")
                .WithEnvironment("ASPNETCORE_ENVIRONMENT", Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Development"))
            .ToList();
        return new ServiceInstances(name, instances);
    }

    /// <summary><c>ConnectionStrings__&lt;name&gt;</c>; for PostgreSQL with each instance's own Application Name, so
    /// pg_stat_activity and pg_locks say which replica holds a connection (or the projection daemon's lock).</summary>
    public ServiceInstances WithReference(IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
    {
        var name = connectionName ?? source.Resource.Name;
        foreach (var instance in Instances)
        {
            if (name == "postgres")
            {
                instance.WithEnvironment($"ConnectionStrings__{name}",
                        ReferenceExpression.Create($"{source.Resource};Application Name={instance.Resource.Name}"))
                    .WithReferenceRelationship(source.Resource);
            }
            else
            {
                instance.WithReference(source, name);
            }
        }
        return this;
    }

    /// <summary>Where every instance of <paramref name="other"/> answers.</summary>
    public ServiceInstances WithReference(ServiceInstances other)
    {
        foreach (var instance in Instances)
        {
            for (var i = 0; i < other.Instances.Count; i++)
            {
                instance.WithEnvironment($"services__{other.Name}__http__{i}", other.Instances[i].GetEndpoint("http"))
                    .WithReferenceRelationship(other.Instances[i].Resource);
            }
        }
        return this;
    }

    /// <summary>A secret as an Aspire secret parameter: the dashboard masks it, and it is one value however many
    /// services get it. A value that differs per service needs a parameter name per service: two values under one
    /// name would give every service the first one (each service its own bus key once became every service the
    /// credential service's), so that is refused.</summary>
    public ServiceInstances WithSecret(string key, string value, string? parameterName = null)
    {
        var builder = Instances[0].ApplicationBuilder;
        parameterName ??= key.Replace("__", "-").ToLowerInvariant();
        var secrets = SecretsOf.GetOrCreateValue(builder);
        if (!secrets.TryGetValue(parameterName, out var secret))
            secrets[parameterName] = secret = (builder.AddParameter(parameterName, value, secret: true), value);
        else if (!string.Equals(secret.Value, value, StringComparison.Ordinal))
            throw new InvalidOperationException($"Secret parameter {parameterName} already holds another value ({Name} asked for {key}); give it a name of its own.");
        foreach (var instance in Instances)
            instance.WithEnvironment(key, secret.Parameter);
        return this;
    }

    public ServiceInstances WithEnvironment(string key, string value)
    {
        foreach (var instance in Instances)
            instance.WithEnvironment(key, value);
        return this;
    }

    public ServiceInstances WithEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach (var (key, value) in variables)
            WithEnvironment(key, value);
        return this;
    }

    /// <summary>Points every exchange client at the simulator: <c>Exchanges__&lt;name&gt;__BaseUrl</c>.</summary>
    public ServiceInstances WithSimulatedExchanges(IResourceBuilder<ProjectResource> simulator)
    {
        var url = simulator.GetEndpoint("http");
        foreach (var instance in Instances)
        {
            foreach (var exchange in SimulatedExchanges)
                instance.WithEnvironment($"Exchanges__{exchange}__BaseUrl", ReferenceExpression.Create($"{url}/{exchange}"));
        }
        return this;
    }

    /// <summary>Every exchange module's: the simulator serves each under its catalog id.</summary>
    public static IReadOnlyList<string> SimulatedExchanges => Bitcain.Exchanges.ExchangeModules.Ids;

    public ServiceInstances WaitFor(IResourceBuilder<IResource>? dependency)
    {
        if (dependency is null)
            return this;
        foreach (var instance in Instances)
            instance.WaitFor(dependency);
        return this;
    }

    /// <summary>Starts once every instance of <paramref name="other"/> is healthy: one .NET start-up at a time on a
    /// small machine, in dependency order, so a failure names the first service that broke.</summary>
    public ServiceInstances WaitFor(ServiceInstances other)
    {
        foreach (var dependency in other.Instances)
            WaitFor(dependency);
        return this;
    }
}

public static class ServiceInstancesExtensions
{
    public static ServiceInstances AddService<TProject>(this IDistributedApplicationBuilder builder, string name, AppHostOptions options, int offset)
        where TProject : IProjectMetadata, new() =>
        ServiceInstances.Add<TProject>(builder, name, options, offset);
}
