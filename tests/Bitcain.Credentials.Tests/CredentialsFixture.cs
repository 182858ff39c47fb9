using System.Collections.Concurrent;
using System.Text;
using Bitcain.ExchangeSimulator;
using Bitcain.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit;

// The hosts share one broker and its queues: the suite runs its test classes one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Bitcain.Credentials.Tests;

/// <summary>
/// The exchange simulator first (the services read its URLs when their hosts are built), then the whole suite,
/// plus a queue of our own bound to every integration event so tests can read what went over the bus.
/// </summary>
public sealed class CredentialsFixture : IAsyncLifetime
{
    public RunningSimulator Simulator { get; private set; } = null!;
    public BitcainSuite Suite { get; } = new();
    public ConcurrentQueue<string> EventBodies { get; } = new();
    private IConnection? _rabbit;

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorHost.StartAsync();
        foreach (var exchange in Simulator.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", Simulator.BaseUrl(exchange));
        await Suite.InitializeAsync();

        _rabbit = await new ConnectionFactory { Uri = new Uri(Suite.Infrastructure.RabbitMq) }.CreateConnectionAsync();
        var channel = await _rabbit.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, Contracts.BusTopology.Events, "#");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            EventBodies.Enqueue(delivery.RoutingKey + " " + Encoding.UTF8.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
    }

    public async Task DisposeAsync()
    {
        if (_rabbit is not null) await _rabbit.DisposeAsync();
        await Suite.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CredentialsCollection : ICollectionFixture<CredentialsFixture>
{
    public const string Name = "credentials suite";
}
