using Bitcain.ExchangeSimulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>A simulator and clients sharing one clock that stands three weeks after the data epoch.</summary>
public sealed class FrozenSimulatorFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    public RunningSimulator Sim { get; private set; } = null!;

    public async Task InitializeAsync() => Sim = await SimulatorHost.StartAsync(new SimulatorOptions { Time = Time, LoadAccountTrades = 5000 });

    public async Task DisposeAsync() => await Sim.DisposeAsync();
}

/// <summary>Issue #14: what a Binance account's own history says it has had, for a symbol-less sync to pick markets by.</summary>
public class BinanceAccountActivityTests : IClassFixture<FrozenSimulatorFixture>
{
    private readonly RunningSimulator sim;
    private readonly FakeTimeProvider time;

    public BinanceAccountActivityTests(FrozenSimulatorFixture fixture)
    {
        sim = fixture.Sim;
        time = fixture.Time;
        sim.Reset();
    }

    private BinanceActivityClient Client(string exchange)
    {
        var settings = ExchangeServiceCollectionExtensions.ImplementedExchanges.ToDictionary(id => $"Exchanges:{id}:BaseUrl", id => (string?)sim.BaseUrl(id));
        var client = new ServiceCollection().AddSingleton<TimeProvider>(time)
            .AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get(exchange);
        return new BinanceActivityClient(client, (IAccountActivity)client);
    }

    private sealed record BinanceActivityClient(IExchangeClient Exchange, IAccountActivity Activity);

    private ExchangeApiCredentials Credentials(string exchange, string account)
    {
        var a = sim.Account(exchange, account);
        return new ExchangeApiCredentials(a.ApiKey, a.ApiSecret, a.Passphrase);
    }

    private DateTimeOffset AYearBack => sim.Options.DataEpoch.AddDays(-365);

    [Fact]
    public async Task a_spent_quote_is_named_by_the_fiat_history_though_the_balances_never_list_it()
    {
        var client = Client("binanceus");
        var credentials = Credentials("binanceus", "spent-quote");

        (await client.Exchange.GetBalancesAsync(credentials)).Keys.ShouldBe(["BTC", "1INCH"], ignoreOrder: true);
        var activity = await client.Activity.GetAccountActivityAsync(credentials, AYearBack);

        activity.Complete.ShouldBeTrue();
        // USD from the fiat deposit, SOL from a withdrawal, SUSHI from the dust it left.
        activity.Assets.ShouldBe(["BTC", "1INCH", "USD", "SOL", "SUSHI"], ignoreOrder: true);
        activity.Sources.ShouldBe(["balances", "deposits", "withdrawals", "fiat_deposits", "fiat_withdrawals", "dust"]);
    }

    [Fact]
    public async Task history_is_read_in_90_day_windows_from_since_to_now()
    {
        var client = Client("binance");
        var since = AYearBack;
        var activity = await client.Activity.GetAccountActivityAsync(Credentials("binance", "load"), since);

        activity.Complete.ShouldBeTrue();
        var windows = (int)Math.Ceiling((time.GetUtcNow() - since).TotalDays / 90);
        sim.Requests.Count("binance", "/sapi/v1/capital/deposit/hisrec").ShouldBe(windows);
        sim.Requests.Count("binance", "/sapi/v1/capital/withdraw/history").ShouldBe(windows);
        sim.Requests.Count("binance", "/sapi/v1/asset/dribblet").ShouldBe(1);
        sim.Requests.Count("binance", "/sapi/v1/fiatpayment/query/deposit/history").ShouldBe(0);
    }

    [Fact]
    public async Task the_quotes_a_wide_account_spent_come_from_its_deposits()
    {
        var client = Client("binance");
        var markets = (await client.Exchange.GetMarketsAsync()).ToDictionary(m => m.ExchangeSymbol);
        var quotes = sim.Trades("binance", "wide").Select(t => markets[t.Symbol].Quote).Distinct().ToList();
        var credentials = Credentials("binance", "wide");
        var held = (await client.Exchange.GetBalancesAsync(credentials)).Keys;
        quotes.Except(held).ShouldNotBeEmpty("else the balances alone would reach every market");

        var activity = await client.Activity.GetAccountActivityAsync(credentials, AYearBack);

        quotes.Except(activity.Assets).ShouldBeEmpty();
    }

    [Fact]
    public async Task binance_reads_the_dribblet_log_for_converted_dust()
    {
        var activity = await Client("binance").Activity.GetAccountActivityAsync(Credentials("binance", "demo"), AYearBack);

        activity.Sources.ShouldBe(["balances", "deposits", "withdrawals", "dust"]);
        activity.Assets.ShouldContain("DOGE");
        activity.Assets.ShouldContain("LTC");
    }

    [Theory]
    [InlineData("binance", "/sapi/v1/capital/deposit/hisrec", "deposits")]
    [InlineData("binance", "/sapi/v1/asset/dribblet", "dust")]
    [InlineData("binanceus", "/sapi/v1/fiatpayment/query/deposit/history", "fiat_deposits")]
    public async Task a_history_the_exchange_does_not_serve_makes_the_activity_incomplete_not_an_error(string exchange, string path, string source)
    {
        sim.Faults.Add(new Fault(FaultKind.ServerError) { Exchange = exchange, Path = path, StatusCode = 404 });

        var activity = await Client(exchange).Activity.GetAccountActivityAsync(Credentials(exchange, "demo"), AYearBack);

        activity.Complete.ShouldBeFalse();
        activity.Sources.ShouldContain(source + ":missing");
        activity.Sources.ShouldContain("balances");
        activity.Assets.ShouldContain("BTC");
    }

    [Fact]
    public async Task an_exchange_failure_on_a_history_is_thrown_not_taken_for_a_missing_source()
    {
        sim.Faults.Add(new Fault(FaultKind.Maintenance) { Exchange = "binance", Path = "/sapi/v1/capital/withdraw/history" });

        var e = await Should.ThrowAsync<ExchangeException>(() =>
            Client("binance").Activity.GetAccountActivityAsync(Credentials("binance", "demo"), AYearBack));

        e.ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
    }

    [Fact]
    public async Task a_rejected_key_is_an_auth_error_without_the_secret_in_it()
    {
        var real = Credentials("binance", "demo");
        var wrong = new ExchangeApiCredentials(real.ApiKey, new string('s', 64));

        var e = await Should.ThrowAsync<ExchangeException>(() => Client("binance").Activity.GetAccountActivityAsync(wrong, AYearBack));

        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        e.ToString().ShouldNotContain(wrong.ApiSecret);
        e.ToString().ShouldNotContain("signature=");
    }
}
