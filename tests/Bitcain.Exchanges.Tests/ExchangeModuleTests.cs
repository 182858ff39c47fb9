using System.Text.RegularExpressions;
using Bitcain.Exchanges.RateLimits;
using Bitcain.ExchangeSimulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>
/// Every list of exchanges agrees with the modules (<see cref="ExchangeModules.All"/>): the lists read from them here,
/// the two that cannot be (the contract's names, the simulator's own exchanges) compared with them. The AppHost's
/// simulated list is checked in Bitcain.AppHost.Tests (SimulatedExchangesTests).
/// </summary>
public class ExchangeModuleTests : IClassFixture<SimulatorFixture>
{
    private readonly RunningSimulator sim;

    public ExchangeModuleTests(SimulatorFixture fixture) => sim = fixture.Sim;

    public static TheoryData<string> Ids => new(ExchangeModules.Ids);

    [Fact]
    public void the_modules_are_the_exchanges_of_the_contract_with_its_aliases_in_its_order()
    {
        // CONTRACT.md, "Exchange names": the contract changes with a new exchange, so this list does too.
        ExchangeModules.AcceptedNames.ShouldBe(["binance", "binanceus", "binance_us", "coinbase", "kraken", "bybit", "kucoin", "bitfinex", "okx", "gate_io"]);
        // CONTRACT.md, POST /api/exchange/credentials: "required by exchanges that need one: kucoin, okx".
        ExchangeModules.All.Where(m => m.Descriptor.RequiresPassphrase).Select(m => m.Descriptor.Id).ShouldBe(["kucoin", "okx"], ignoreOrder: true);
    }

    [Fact]
    public void every_name_is_one_exchanges_alone_and_spelled_as_a_path_segment_and_a_configuration_key()
    {
        // The AppHost sets Exchanges__<id>__BaseUrl and the simulator serves /<id>: the id must be both.
        foreach (var id in ExchangeModules.Ids)
            Regex.IsMatch(id, "^[a-z][a-z0-9_]*$").ShouldBeTrue(id);
        ExchangeModules.AcceptedNames.Select(n => n.ToLowerInvariant()).ShouldBeUnique();
    }

    [Fact]
    public void the_catalog_is_the_modules_descriptors_and_resolves_every_accepted_name_to_its_module()
    {
        ExchangeCatalog.All.ShouldBe(ExchangeModules.All.Select(m => m.Descriptor));
        ExchangeCatalog.Ids.ShouldBe(ExchangeModules.Ids);
        foreach (var module in ExchangeModules.All)
        {
            foreach (var name in module.Descriptor.Aliases.Prepend(module.Descriptor.Id))
            {
                ExchangeCatalog.TryResolve(name.ToUpperInvariant(), out var resolved).ShouldBeTrue(name);
                resolved.ShouldBeSameAs(module.Descriptor, name);
            }
            ExchangeModules.Get(module.Descriptor.Id).ShouldBeSameAs(module);
        }
        ExchangeCatalog.TryResolve("nope", out _).ShouldBeFalse();
    }

    [Fact]
    public void one_client_is_registered_per_module_with_the_modules_capabilities()
    {
        var services = TestClients.Services(new StubExchange(_ => StubExchange.Json("{}")));
        var clients = services.GetRequiredService<IExchangeClients>();
        clients.Exchanges.ShouldBe(ExchangeModules.Ids);
        ExchangeServiceCollectionExtensions.ImplementedExchanges.ShouldBe(ExchangeModules.Ids);
        foreach (var module in ExchangeModules.All)
        {
            var id = module.Descriptor.Id;
            var client = services.GetRequiredKeyedService<IExchangeClient>(id);
            client.ShouldBeSameAs(clients.Get(id));
            client.Exchange.ShouldBe(id);
            client.Capabilities.ShouldBe(module.Descriptor.Capabilities, id);
            // A capability is only claimed by a client that has the operations behind it.
            if (client.Capabilities.HasFlag(ExchangeCapabilities.BnbBurn)) client.ShouldBeAssignableTo<IBnbBurnAccount>(id);
            (client is IDustAssetsAccount).ShouldBe(client.Capabilities.HasFlag(ExchangeCapabilities.DustAssets), id);
        }
    }

    [Fact]
    public void every_capability_a_module_can_claim_has_a_wire_name()
    {
        foreach (var capability in Enum.GetValues<ExchangeCapabilities>().Where(c => c != ExchangeCapabilities.None))
            ExchangeCapabilityNames.Of(capability).Count.ShouldBe(1, capability.ToString());
        foreach (var module in ExchangeModules.All)
            ExchangeCapabilityNames.Of(module.Descriptor.Capabilities).ShouldContain("health", module.Descriptor.Id);
    }

    [Fact]
    public void the_budgets_info_reports_are_the_modules_and_the_first_is_the_one_configuration_overrides()
    {
        RateBudgets.Of("nope").ShouldBeEmpty();
        foreach (var module in ExchangeModules.All)
        {
            var id = module.Descriptor.Id;
            RateBudgets.Of(id).ShouldBe(module.RateBudgets(), id);
            RateBudgets.Of(id, 7, 0.5).ShouldBe(module.RateBudgets(7, 0.5), id);
            var budgets = module.RateBudgets();
            budgets.ShouldNotBeEmpty(id);
            budgets.Select(b => b.Type).ShouldBeUnique(id);
            budgets.ShouldAllBe(b => b.Limit > 0 && (b.Interval == "1m" ? b.DrainPerSecond == null : b.Interval == "decay" && b.DrainPerSecond > 0));
            var key = module.RateBudgets(limit: 7, drain: 0.5)[0];
            key.Limit.ShouldBe(7, id);
            if (key.Interval == "decay") key.DrainPerSecond.ShouldBe(0.5, id);
        }
    }

    [Fact]
    public void the_simulator_stands_in_for_exactly_the_modules_each_with_its_seeded_accounts()
    {
        sim.Exchanges.ShouldBe(ExchangeModules.Ids, ignoreOrder: true);
        foreach (var module in ExchangeModules.All)
        {
            foreach (var name in new[] { "demo", "readonly", "load" })
            {
                var account = sim.Account(module.Descriptor.Id, name);
                // The seeded keys are shaped like the exchange's own: a passphrase exactly where it signs with one.
                (account.Passphrase is not null).ShouldBe(module.Descriptor.RequiresPassphrase, $"{module.Descriptor.Id}/{name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task each_modules_client_reads_its_demo_balances_from_the_simulator_under_its_id(string exchange)
    {
        var client = new ServiceCollection()
            .AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { [$"Exchanges:{exchange}:BaseUrl"] = sim.BaseUrl(exchange) }).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get(exchange);
        var demo = sim.Account(exchange, "demo");
        var balances = await client.GetBalancesAsync(new ExchangeApiCredentials(demo.ApiKey, demo.ApiSecret, demo.Passphrase));
        balances.ShouldNotBeEmpty(exchange);
    }
}
