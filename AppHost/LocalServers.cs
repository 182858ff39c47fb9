using Aspire.Hosting.ApplicationModel;
using Bitcain.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bitcain.AppHost;

/// <summary>This machine's PostgreSQL, run in the foreground on a private cluster of the data folder: Aspire's own
/// PostgreSQL resource needs a container runtime, which these machines do not have.</summary>
public sealed class LocalPostgresResource(string name, PostgresServer server, ParameterResource password)
    : ExecutableResource(name, server.ForegroundCommand().File, server.Folder), IResourceWithConnectionString
{
    public PostgresServer Server { get; } = server;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Server.Port.ToString()};Database={Server.Database};Username=postgres;Password={password}");
}

/// <summary>This machine's RabbitMQ, run in the foreground as a private node of the data folder.</summary>
public sealed class LocalRabbitMqResource(string name, RabbitMqServer node)
    : ExecutableResource(name, node.ServerScript, node.Folder)
{
    public RabbitMqServer Node { get; } = node;
}

/// <summary>One service's login on the node: each service connects as its own broker user, with only the rights its
/// endpoints need, so a service is given its login rather than the node.</summary>
public sealed class BrokerLoginResource(string name, LocalRabbitMqResource node, string user, ParameterResource password)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<LocalRabbitMqResource>
{
    public LocalRabbitMqResource Parent { get; } = node;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{user}:{password}@127.0.0.1:{Parent.Node.AmqpPort.ToString()}/");
}

public static class LocalServerExtensions
{
    /// <summary>PostgreSQL with its first-run setup done (initdb, the superuser's password), healthy once it accepts
    /// that password on the database the services use (created on the first connection).</summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, PostgresServer server)
    {
        var password = builder.AddParameter($"{name}-password", server.Password!, secret: true);
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-accepts-connections", async ct =>
            await server.AcceptsConnectionsAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        return builder.AddResource(new LocalPostgresResource(name, server, password.Resource))
            .WithArgs(server.ForegroundCommand().Arguments)
            .WithHealthCheck($"{name}-accepts-connections")
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    /// <summary>RabbitMQ with its node prepared (cookie, configuration, users from the definitions file), healthy once
    /// it accepts AMQP connections.</summary>
    public static IResourceBuilder<LocalRabbitMqResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string name, RabbitMqServer node)
    {
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-accepts-connections", async ct =>
            await node.AcceptsConnectionsAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var rabbit = builder.AddResource(new LocalRabbitMqResource(name, node))
            .WithHealthCheck($"{name}-accepts-connections")
            .WithIconName("Mail")
            .ExcludeFromManifest();
        foreach (var (key, value) in node.ServerEnvironment)
            rabbit.WithEnvironment(key, value);
        return rabbit;
    }

    /// <summary>The login of <paramref name="service"/> on <paramref name="rabbit"/>, its password a secret parameter.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddBrokerLogin(
        this IResourceBuilder<LocalRabbitMqResource> rabbit, string service)
    {
        var builder = rabbit.ApplicationBuilder;
        var user = BrokerUser.ForService(service);
        var password = builder.AddParameter($"{rabbit.Resource.Name}-{service}-password", rabbit.Resource.Node.PasswordOf(user), secret: true);
        return builder.AddResource(new BrokerLoginResource($"{rabbit.Resource.Name}-{service}", rabbit.Resource, user, password.Resource))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "BrokerLogin", Properties = [], IsHidden = true })
            .ExcludeFromManifest();
    }
}
