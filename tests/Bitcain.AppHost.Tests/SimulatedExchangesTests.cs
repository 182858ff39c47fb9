using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Bitcain.Exchanges;
using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests;

/// <summary>
/// With <c>--exchanges simulated</c>, every exchange module's client is pointed at the simulator under the module's id
/// (Bitcain.Exchanges.Tests checks that the simulator serves exactly those ids). A model only: nothing is started.
/// </summary>
public sealed class SimulatedExchangesTests
{
    [Fact]
    public async Task every_instance_points_each_exchange_module_at_its_own_path_on_the_simulator_and_nothing_else()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            DisableDashboard = true,
            AssemblyName = typeof(AppHostOptions).Assembly.GetName().Name,
        });
        var simulator = builder.AddProject<Projects.Bitcain_ExchangeSimulator>("simulator")
            .WithHttpEndpoint(port: 5099, name: "http", isProxied: false);
        var market = builder.AddService<Projects.Bitcain_Market>("market", new AppHostOptions { Replicas = 2 }, offset: 3)
            .WithSimulatedExchanges(simulator);

        foreach (var instance in market.Instances)
        {
            // The published form names the endpoint instead of a port that only a run allocates.
#pragma warning disable CS0618 // obsolete in 13.6 in favour of an execution-configuration builder that is more than this check needs
            var environment = await instance.Resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
            var exchanges = environment.Where(e => e.Key.StartsWith("Exchanges__", StringComparison.Ordinal)).ToDictionary();
            exchanges.Keys.ShouldBe(ExchangeModules.Ids.Select(id => $"Exchanges__{id}__BaseUrl"), ignoreOrder: true);
            foreach (var id in ExchangeModules.Ids)
                exchanges[$"Exchanges__{id}__BaseUrl"].ShouldBe($"{{simulator.bindings.http.url}}/{id}");
        }
    }
}
