using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>What every client must do with public data, wherever its base URL points: the simulator or the real exchange.</summary>
internal static class PublicDataChecks
{
    public static async Task RunAsync(IExchangeClient client)
    {
        var health = await client.GetHealthAsync();
        health.Status.ShouldBe(ExchangeSystemStatus.Normal);
        (health.ServerTime!.Value - DateTimeOffset.UtcNow).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));

        var markets = await client.GetMarketsAsync();
        var btc = markets.Single(m => m.Symbol == "BTC/USDT");
        btc.Precision.Price.ShouldNotBeNull().ShouldBeGreaterThan(0m);
        btc.Precision.Amount.ShouldNotBeNull().ShouldBeGreaterThan(0m);
        markets.ShouldAllBe(m => m.Symbol == m.Base + "/" + m.Quote);
        markets.ShouldNotContain(m => m.Base == "XBT" || m.Base == "XXBT" || m.Quote == "ZUSD");

        var ticker = await client.GetTickerAsync("btc-usdt");
        ticker.Symbol.ShouldBe("BTC/USDT");
        ticker.ExchangeSymbol.ShouldBe(btc.ExchangeSymbol);
        ticker.Bid.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(ticker.Ask!.Value);
        ticker.Last.ShouldNotBeNull().ShouldBeGreaterThan(0m);
    }
}
