using Bitcain.ExchangeSimulator;
using Bitcain.Testing;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Client;

/// <summary>The suite with the exchange simulator behind it: every exchange's values are known, so a reading of
/// them through the client can be compared with the truth.</summary>
public sealed class SimulatedSuite : IAsyncLifetime
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

    public async Task DisposeAsync()
    {
        await Suite.DisposeAsync();
        foreach (var exchange in Sim.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", null);
        await Sim.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatedCollection : ICollectionFixture<SimulatedSuite>
{
    public const string Name = "simulated suite";
}
