using System.Globalization;
using System.Text.Json.Nodes;
using Bitcain.Client;
using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Client;

/// <summary>
/// The generated client against the simulator's known values: every amount, timestamp and name of every response
/// is the one on the wire (<see cref="WireMatch"/>), and the ones the simulator holds are the truth's.
/// </summary>
[Collection(SimulatedCollection.Name)]
public sealed class ClientReadingTests(SimulatedSuite simulated)
{
    [Fact]
    public async Task the_client_reads_every_amount_timestamp_and_name_as_the_exchange_serves_them()
    {
        var wire = new WireRecorder();
        var user = Users.Client(simulated.Suite.Gateway, TestTokens.For("reader-" + Guid.NewGuid().ToString("N")[..8]), wire);
        var demo = simulated.Sim.Account("binance", "demo");
        var started = DateTimeOffset.UtcNow.AddSeconds(-5);

        var stored = await user.StoreCredentialsAsync(Users.NewCredential(exchange: "binance", name: "Demo", key: demo.ApiKey, secret: demo.ApiSecret));
        WireMatch.ShouldMatch(wire.Last, stored);
        stored.CreatedAt.ShouldBeGreaterThan(started);
        stored.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);

        var validated = await ValidatedAsync(user, stored.Id);
        WireMatch.ShouldMatch(wire.Last, validated);
        validated.ValidationStatus.ShouldBe("valid");
        validated.LastValidation.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(stored.CreatedAt);

        // Balances: the simulator's holdings, to the last digit.
        var held = simulated.Sim.Holdings("binance", "demo").Balances;
        var synced = await user.SyncBalanceAsync("binance");
        WireMatch.ShouldMatch(wire.Last, synced);
        synced.Success.ShouldBeTrue(synced.Error);
        synced.CurrenciesSynced.ShouldBe(held.Count);
        synced.Balances.Keys.ShouldBe(held.Keys, ignoreOrder: true);
        foreach (var (currency, total) in held)
        {
            synced.Balances[currency].Total.ShouldBe(total, currency);
            (synced.Balances[currency].Free + synced.Balances[currency].Locked).ShouldBe(total, currency);
        }
        synced.Timestamp.ShouldBeGreaterThan(started);

        var balance = await user.GetBalanceAsync("binance");
        WireMatch.ShouldMatch(wire.Last, balance);
        balance.Balances.Keys.ShouldBe(held.Keys, ignoreOrder: true);
        foreach (var (currency, total) in held)
        {
            balance.Balances[currency].Total.ShouldBe(total, currency);
            balance.Balances[currency].SyncTimestamp.ShouldBeGreaterThan(started);
        }
        balance.LastSync.ShouldNotBeNull().ShouldBeGreaterThan(started);

        var btc = held.Keys.First();
        var history = await user.GetBalanceHistoryAsync("binance", btc);
        WireMatch.ShouldMatch(wire.Last, history);
        history.History.ShouldNotBeEmpty();
        history.History[0].Total.ShouldBe(held[btc]);

        // Trades: the simulator's own record of the account's BTC/USDT fills.
        var truth = simulated.Sim.Trades("binance", "demo", "BTCUSDT");
        truth.ShouldNotBeEmpty();
        var tradeSync = await user.SyncTradesAsync("binance", symbol: "BTC/USDT", limit: 1000);
        WireMatch.ShouldMatch(wire.Last, tradeSync);
        tradeSync.Success.ShouldBeTrue(tradeSync.Error);
        tradeSync.TradesSynced.ShouldBe(truth.Count);

        var trades = new List<TradeResponse>();
        for (var offset = 0; ; offset += 100)
        {
            var page = await user.GetTradesAsync("binance", symbol: "BTC/USDT", limit: 100, offset: offset);
            WireMatch.ShouldMatch(wire.Last, page);
            trades.AddRange(page.Trades);
            if (!page.HasMore) break;
        }
        trades.Count.ShouldBe(truth.Count);
        var byId = trades.ToDictionary(t => t.ExchangeTradeId);
        foreach (var fill in truth)
        {
            var trade = byId[fill.Id.ToString(CultureInfo.InvariantCulture)];
            trade.Symbol.ShouldBe("BTC/USDT");
            trade.Side.ShouldBe(fill.IsBuyer ? "buy" : "sell");
            trade.Price.ShouldBe(fill.Price);
            trade.Amount.ShouldBe(fill.Qty);
            trade.Total.ShouldBe(fill.QuoteQty);
            trade.TradeTimestamp.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(fill.TimeMs));
        }

        var stats = await user.GetTradeStatsAsync("binance");
        WireMatch.ShouldMatch(wire.Last, stats);
        stats.TotalTrades.ShouldBe(truth.Count);
        stats.BuyCount.ShouldBe(truth.Count(t => t.IsBuyer));
        stats.SellCount.ShouldBe(truth.Count(t => !t.IsBuyer));
        stats.TotalVolume.ShouldBe(truth.Sum(t => t.QuoteQty));
        stats.FirstTrade.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(truth.Min(t => t.TimeMs)));
        stats.LastTrade.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(truth.Max(t => t.TimeMs)));

        // The sync status is an asynchronous projection: it catches up with the sync a moment later.
        var status = await user.GetSyncStatusAsync("binance");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); status.Accounts.SingleOrDefault()?.TradesStored != truth.Count && DateTime.UtcNow < deadline; await Task.Delay(250))
            status = await user.GetSyncStatusAsync("binance");
        WireMatch.ShouldMatch(wire.Last, status);
        status.Accounts.ShouldHaveSingleItem().TradesStored.ShouldBe(truth.Count);

        // Market data: the ticker is the exchange's own numbers, read beside it straight from the simulator.
        var ticker = await user.GetTickerAsync("binance", "BTC/USDT");
        WireMatch.ShouldMatch(wire.Last, ticker);
        using var exchange = new HttpClient();
        var served = JsonNode.Parse(await exchange.GetStringAsync(simulated.Sim.BaseUrl("binance") + "/api/v3/ticker/24hr?symbol=BTCUSDT"))!;
        ticker.Last.ShouldBe(decimal.Parse((string)served["lastPrice"]!, CultureInfo.InvariantCulture));
        ticker.Bid.ShouldBe(decimal.Parse((string)served["bidPrice"]!, CultureInfo.InvariantCulture));
        ticker.Ask.ShouldBe(decimal.Parse((string)served["askPrice"]!, CultureInfo.InvariantCulture));
        ticker.Timestamp.Offset.ShouldBe(TimeSpan.Zero);

        var markets = await user.GetMarketsAsync("binance");
        WireMatch.ShouldMatch(wire.Last, markets);
        markets.Markets.ShouldContain(m => m.Symbol == "BTC/USDT" && m.ExchangeSymbol == "BTCUSDT");

        foreach (var read in new Func<Task<object>>[]
                 {
                     async () => await user.GetSupportedExchangesAsync(),
                     async () => await user.GetExchangeInfoAsync("binance"),
                     async () => await user.GetSingleExchangeHealthAsync("binance"),
                     async () => await user.GetExchangesHealthAsync(),
                     async () => await user.GetTradeRouteAsync("BTC", "USDT", size: 0.01m),
                     async () => await user.GetDustableAssetsAsync("binance"),
                     async () => await user.GetBnbBurnAsync("binance"),
                     async () => await user.ListCredentialsAsync(),
                     async () => await user.GetCredentialEventsAsync(stored.Id),
                     async () => await user.ListAuditEventsAsync(),
                 })
        {
            var answer = await read();
            WireMatch.ShouldMatch(wire.Last, answer);
        }
    }

    private static async Task<CredentialDetailResponse> ValidatedAsync(BitcainClient user, string id)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(200))
        {
            var detail = await user.GetCredentialAsync(id);
            if (detail.ValidationStatus != "pending" || DateTime.UtcNow > deadline) return detail;
        }
    }
}
