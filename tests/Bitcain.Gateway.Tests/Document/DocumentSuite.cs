using System.Text.Json.Nodes;
using Bitcain.ExchangeSimulator;
using Bitcain.Testing;
using Xunit;

// The hosts share one broker and its queues: the suite's collections run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Bitcain.Gateway.Tests.Document;

/// <summary>The gateway with the services behind it over this run's PostgreSQL and RabbitMQ, and the exchange simulator behind them.</summary>
public sealed class DocumentSuite : IAsyncLifetime
{
    public RunningSimulator Sim { get; private set; } = null!;
    public BitcainSuite Suite { get; } = new();

    public async Task InitializeAsync()
    {
        Sim = await SimulatorHost.StartAsync();
        foreach (var exchange in Sim.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", Sim.BaseUrl(exchange));
        await Suite.InitializeAsync();
    }

    public async Task<JsonObject> ServedDocumentAsync() =>
        JsonNode.Parse(await Suite.Gateway.Server.CreateClient().GetStringAsync("/openapi.json"))!.AsObject();

    public async Task DisposeAsync()
    {
        await Suite.DisposeAsync();
        foreach (var exchange in Sim.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", null);
        await Sim.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DocumentCollection : ICollectionFixture<DocumentSuite>
{
    public const string Name = "gateway document suite";
}
