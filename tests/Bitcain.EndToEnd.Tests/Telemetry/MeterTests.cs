using Bitcain.Exchanges.Tests.Telemetry;
using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Telemetry;

/// <summary>Bitcain's own meters where the services record them, driven through the gateway against the simulator.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MeterTests(TelemetrySuite telemetry)
{
    [Fact]
    public async Task a_stored_credential_a_balance_sync_and_a_trade_sync_are_counted_by_exchange_and_outcome()
    {
        using var recorded = new MeasurementRecorder();
        var api = Users.Client(telemetry.Suite.Gateway, TestTokens.For("meters-" + Guid.NewGuid().ToString("N")[..8]));
        var account = telemetry.Sim.Account("binance", "demo");

        await api.StoreCredentialsAsync(Users.NewCredential(exchange: "binance", key: account.ApiKey, secret: account.ApiSecret));
        var balances = await api.SyncBalanceAsync("binance");
        balances.Success.ShouldBeTrue(balances.Error);
        var trades = await api.SyncTradesAsync("binance", symbol: "BTC/USDT");
        trades.Success.ShouldBeTrue(trades.Error);
        var again = await api.SyncTradesAsync("binance", symbol: "BTC/USDT", since: new DateTimeOffset(2017, 7, 14, 0, 0, 0, TimeSpan.Zero));
        again.Success.ShouldBeTrue(again.Error);

        recorded.Sum("bitcain.gateway.commands", ("message.type", "bitcain.credentials.store-credential.v1"), ("outcome", "answered")).ShouldBe(1);
        recorded.Sum("bitcain.gateway.commands", ("message.type", "bitcain.sync.sync-balances.v1"), ("outcome", "answered")).ShouldBe(1);
        recorded.Sum("bitcain.sync.balance_syncs", ("exchange", "binance"), ("outcome", "ok")).ShouldBe(1);
        recorded.Sum("bitcain.sync.trade_pages", ("exchange", "binance")).ShouldBeGreaterThanOrEqualTo(1);
        var stored = trades.TradesSynced;
        stored.ShouldBeGreaterThan(0);
        // The meters count what the syncs report, across both runs.
        recorded.Sum("bitcain.sync.trades", ("exchange", "binance"), ("outcome", "stored")).ShouldBe(stored + again.TradesSynced);
        recorded.Sum("bitcain.sync.trades", ("exchange", "binance"), ("outcome", "duplicate")).ShouldBe(trades.TradesDuplicate + again.TradesDuplicate);
        recorded.Sum("bitcain.exchange.calls", ("exchange", "binance"), ("operation", "balances"), ("outcome", "ok")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task a_ticker_asked_twice_is_a_miss_then_a_hit_in_the_gateways_hold_or_the_market_cache()
    {
        using var recorded = new MeasurementRecorder();
        var api = Users.Client(telemetry.Suite.Gateway, TestTokens.For("ticker-" + Guid.NewGuid().ToString("N")[..8]));

        (await api.GetTickerAsync("kraken", "eth_usd")).Symbol.ShouldBe("ETH/USD");
        (await api.GetTickerAsync("kraken", "eth_usd")).Symbol.ShouldBe("ETH/USD");

        recorded.Sum("bitcain.market.cache.lookups", ("cache", "tickers"), ("exchange", "kraken"), ("outcome", "miss")).ShouldBeGreaterThanOrEqualTo(1);
        // The second ask is answered by the gateway's one-second hold or, should the ticker's own age have ended that
        // already, by the market service's cache.
        recorded.Sum("bitcain.gateway.ticker_hold.lookups", ("exchange", "kraken"), ("outcome", "miss")).ShouldBeGreaterThanOrEqualTo(1);
        (recorded.Sum("bitcain.gateway.ticker_hold.lookups", ("exchange", "kraken"), ("outcome", "hit"))
         + recorded.Sum("bitcain.market.cache.lookups", ("cache", "tickers"), ("exchange", "kraken"), ("outcome", "hit"))).ShouldBeGreaterThanOrEqualTo(1);
        recorded.Sum("bitcain.market.cache.lookups", ("cache", "markets"), ("exchange", "kraken")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task a_command_the_service_does_not_answer_in_time_is_counted_as_queued()
    {
        var api = Users.Client(telemetry.Suite.Gateway, TestTokens.For("queued-" + Guid.NewGuid().ToString("N")[..8]));
        // One answered store first: the gateway then holds the sealing key and can seal while the service is down.
        await api.StoreCredentialsAsync(Users.NewCredential(exchange: "kraken", name: "First"));
        using var recorded = new MeasurementRecorder();
        await telemetry.Suite.Credentials.StopAsync();
        await telemetry.Suite.Credentials.DisposeAsync();
        try
        {
            var (status, _) = await Users.RefusedAsync(() => api.StoreCredentialsAsync(Users.NewCredential(exchange: "kraken", name: "Queued")));
            status.ShouldBe(504);
            recorded.Sum("bitcain.gateway.commands", ("message.type", "bitcain.credentials.store-credential.v1"), ("outcome", "queued")).ShouldBe(1);
            recorded.Sum("bitcain.gateway.commands", ("message.type", "bitcain.credentials.store-credential.v1"), ("outcome", "answered")).ShouldBe(0);
        }
        finally
        {
            telemetry.Suite.Credentials = await telemetry.Suite.StartCredentialsAsync();
        }
    }
}
