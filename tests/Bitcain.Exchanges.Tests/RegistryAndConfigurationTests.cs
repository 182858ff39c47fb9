using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class RegistryAndConfigurationTests
{
    [Fact]
    public void binance_us_has_no_bnb_burn_and_the_others_have_no_binance_extras()
    {
        ExchangeCatalog.Get("binanceus").Capabilities.HasFlag(ExchangeCapabilities.BnbBurn).ShouldBeFalse();
        ExchangeCatalog.Get("binance").Capabilities.HasFlag(ExchangeCapabilities.BnbBurn).ShouldBeTrue();
        ExchangeCapabilityNames.Of(ExchangeCatalog.Get("binanceus").Capabilities).ShouldBe(["health", "markets", "ticker", "balances", "trades", "key_permissions", "dust_assets"]);
        foreach (var id in new[] { "kraken", "bybit", "okx", "kucoin", "bitfinex", "coinbase" })
            ExchangeCapabilityNames.Of(ExchangeCatalog.Get(id).Capabilities).ShouldBe(["health", "markets", "ticker", "balances", "trades", "key_permissions"], id);
        ExchangeCapabilityNames.Of(ExchangeCatalog.Get("gate_io").Capabilities).ShouldBe(["health", "markets", "ticker", "balances", "trades"]);
    }

    [Fact]
    public async Task an_unsupported_operation_is_refused_without_calling_the_exchange()
    {
        var stub = new StubExchange(_ => StubExchange.Json("""{"spotBNBBurn":true,"interestBNBBurn":false}"""));
        var client = (IBnbBurnAccount)TestClients.Client(stub, "binanceus");
        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBnbBurnAsync(TestClients.Binance));
        e.ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void every_catalog_exchange_has_a_first_day_of_trading_on_a_utc_midnight_after_bitcoins_first_exchange()
    {
        foreach (var exchange in ExchangeCatalog.All)
        {
            exchange.TradingSince.Offset.ShouldBe(TimeSpan.Zero, exchange.Id);
            exchange.TradingSince.TimeOfDay.ShouldBe(TimeSpan.Zero, exchange.Id);
            exchange.TradingSince.ShouldBeGreaterThan(new DateTimeOffset(2010, 3, 17, 0, 0, 0, TimeSpan.Zero), exchange.Id);
            exchange.TradingSince.ShouldBeLessThan(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), exchange.Id);
        }
        ExchangeCatalog.Get("binance").TradingSince.ShouldBe(new DateTimeOffset(2017, 7, 14, 0, 0, 0, TimeSpan.Zero));
        ExchangeCatalog.Get("binance_us").TradingSince.ShouldBe(new DateTimeOffset(2019, 9, 18, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void the_registry_resolves_names_and_aliases_through_the_catalog()
    {
        var clients = TestClients.Services(new StubExchange(_ => StubExchange.Json("{}"))).GetRequiredService<IExchangeClients>();
        clients.Get("binance_us").Exchange.ShouldBe("binanceus");
        clients.Get(" KRAKEN ").Exchange.ShouldBe("kraken");
        clients.Get("binance").ShouldBeSameAs(clients.Get("Binance")); // one client, one limiter, per process
        clients.Get("Coinbase").Exchange.ShouldBe("coinbase");
        Should.Throw<KeyNotFoundException>(() => clients.Get("nope"));
    }

    [Fact]
    public void options_default_to_the_catalogs_production_url_and_ten_seconds()
    {
        var empty = new ConfigurationBuilder().Build();
        foreach (var id in ExchangeServiceCollectionExtensions.ImplementedExchanges)
        {
            var options = ExchangeServiceCollectionExtensions.ReadOptions(empty, id);
            options.BaseUrl.ShouldBe(ExchangeCatalog.Get(id).DefaultBaseUrl);
            options.Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void options_come_from_the_exchanges_section_as_environment_variables_spell_it()
    {
        // Exchanges__kraken__BaseUrl in the environment is the key Exchanges:kraken:BaseUrl.
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchanges:kraken:BaseUrl"] = "http://127.0.0.1:5099/kraken",
            ["Exchanges:kraken:TimeoutSeconds"] = "3",
        }).Build();
        var options = ExchangeServiceCollectionExtensions.ReadOptions(config, "kraken");
        (options.BaseUrl, options.Timeout).ShouldBe(("http://127.0.0.1:5099/kraken", TimeSpan.FromSeconds(3)));
        Should.Throw<InvalidOperationException>(() => ExchangeServiceCollectionExtensions.ReadOptions(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Exchanges:binance:BaseUrl"] = "not a url" }).Build(), "binance"));
    }

    [Fact]
    public async Task a_refused_connection_is_a_network_error()
    {
        var services = new ServiceCollection().AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Exchanges:binance:BaseUrl"] = "http://127.0.0.1:9/binance" }).Build()).BuildServiceProvider();
        var e = await Should.ThrowAsync<ExchangeException>(() => services.GetRequiredService<IExchangeClients>().Get("binance").GetServerTimeAsync());
        e.ErrorType.ShouldBe(ExchangeErrorType.NetworkError);
    }

    [Fact]
    public async Task an_unresolvable_host_is_a_network_error()
    {
        var services = new ServiceCollection().AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Exchanges:kraken:BaseUrl"] = "http://no-such-host.invalid", ["Exchanges:kraken:TimeoutSeconds"] = "5" }).Build()).BuildServiceProvider();
        var e = await Should.ThrowAsync<ExchangeException>(() => services.GetRequiredService<IExchangeClients>().Get("kraken").GetServerTimeAsync());
        e.ErrorType.ShouldBe(ExchangeErrorType.NetworkError);
    }

    [Fact]
    public async Task a_slow_exchange_times_out_as_a_network_error()
    {
        var stub = new StubExchange(async _ => { await Task.Delay(TimeSpan.FromSeconds(5)); return StubExchange.Json("{}"); });
        var client = TestClients.Client(stub, "kraken", config: new Dictionary<string, string?> { ["Exchanges:kraken:TimeoutSeconds"] = "0.2" });
        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetServerTimeAsync());
        e.ErrorType.ShouldBe(ExchangeErrorType.NetworkError);
        e.Message.ShouldContain("timed out");
    }

    [Fact]
    public async Task a_caller_cancelling_is_a_cancellation_not_an_exchange_error()
    {
        var stub = new StubExchange(async _ => { await Task.Delay(TimeSpan.FromSeconds(5)); return StubExchange.Json("{}"); });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Should.ThrowAsync<OperationCanceledException>(() => TestClients.Client(stub, "kraken").GetServerTimeAsync(cts.Token));
    }
}
