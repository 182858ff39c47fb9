using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>Runs only when <c>BITCAIN_LIVE_TESTS=1</c>; otherwise xunit reports each test as skipped, with the reason.</summary>
public sealed class LiveFactAttribute : TheoryAttribute
{
    public LiveFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BITCAIN_LIVE_TESTS") != "1")
            Skip = "live exchange tests are off: set BITCAIN_LIVE_TESTS=1 (needs internet access to the real exchanges)";
    }
}

/// <summary>
/// The same checks as the simulator suite, against the exchanges' real public endpoints (the catalog's production
/// URLs). No credentials: the signed calls use a made-up key and must come back as auth errors.
/// </summary>
public class LiveExchangeTests
{
    private static IExchangeClient Client(string exchange) =>
        new ServiceCollection().AddBitcainExchanges(new ConfigurationBuilder().Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get(exchange);

    [LiveFact]
    [InlineData("binance")]
    [InlineData("binanceus")]
    [InlineData("kraken")]
    public Task public_data_health_markets_and_ticker(string exchange) => PublicDataChecks.RunAsync(Client(exchange));

    [LiveFact]
    [InlineData("binance")]
    [InlineData("binanceus")]
    [InlineData("kraken")]
    public async Task a_made_up_key_is_an_auth_error_that_names_neither_key_nor_secret(string exchange)
    {
        var fake = exchange == "kraken"
            ? new ExchangeApiCredentials("bitcainLiveTestNotAKey000000000000000000000000000000000", Convert.ToBase64String(new byte[64]))
            : new ExchangeApiCredentials(new string('A', 64), new string('b', 64));
        var e = await Should.ThrowAsync<ExchangeException>(() => Client(exchange).GetBalancesAsync(fake));
        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        e.ToString().ShouldNotContain(fake.ApiKey);
        e.ToString().ShouldNotContain(fake.ApiSecret);
    }
}
