using System.Text.Json.Nodes;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>
/// Issue #7's end-to-end run, once per exchange, through the gateway against the simulator: what /supported
/// advertises must work — validate and store the key, sync balances and every trade, read markets and a ticker.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class EveryExchangeEndToEndTests(SyncSuite sync)
{
    /// <summary>Binance and Binance.US need a symbol per trade call; the others page all pairs at once.</summary>
    private static readonly Dictionary<string, string?[]> TradedSymbols = new()
    {
        ["binance"] = ["BTC/USDT", "ETH/USDT", "BNB/USDT", "ETH/BTC", "SOL/USDT"],
        ["binanceus"] = ["BTC/USD", "ETH/USD", "SOL/USD", "BTC/USDT", "ADA/USD"],
    };

    [Theory]
    [InlineData("binance")]
    [InlineData("binanceus")]
    [InlineData("kraken")]
    [InlineData("bybit")]
    [InlineData("okx")]
    [InlineData("kucoin")]
    [InlineData("gate_io")]
    [InlineData("bitfinex")]
    [InlineData("coinbase")]
    public async Task every_capability_an_exchange_advertises_works_end_to_end(string exchange)
    {
        var user = new User(sync);
        var demo = sync.Simulator.Account(exchange, "demo");

        var (_, supported) = await user.GetAsync("/api/exchange/supported");
        var listed = supported["exchanges"]!.AsArray().Single(e => (string?)e!["id"] == exchange)!;
        var features = listed["features"]!.AsArray().Select(f => (string)f!).ToHashSet();
        var (infoStatus, info) = await user.GetAsync($"/api/exchange/{exchange}/info");
        infoStatus.ShouldBe(200);
        info["has_client"]!.GetValue<bool>().ShouldBeTrue();
        info["features"]!.AsArray().Select(f => (string)f!).ToHashSet().SetEquals(features).ShouldBeTrue();
        // The budgets the client keeps, each with the exchange's published limit it stays within.
        info["rate_limits"]!.AsArray().ShouldNotBeEmpty();
        info["rate_limits"]!.AsArray().ShouldAllBe(r => r!["limit"]!.GetValue<int>() > 0 && ((string)r["description"]!).Length > 0);
        features.IsSupersetOf(["health", "markets", "ticker", "balances", "trades"]).ShouldBeTrue(string.Join(",", features));
        listed["requires_passphrase"]!.GetValue<bool>().ShouldBe(demo.Passphrase is not null);

        var (healthStatus, health) = await user.GetAsync($"/api/exchange/{exchange}/health?force_refresh=true");
        healthStatus.ShouldBe(200);
        health["status"]!.GetValue<string>().ShouldBe("ok", health.ToJsonString());

        var (_, markets) = await user.GetAsync($"/api/exchange/markets?exchange={exchange}");
        markets["count"]!.GetValue<int>().ShouldBeGreaterThan(0);
        var market = markets["markets"]!.AsArray().First(m => (bool)m!["active"]! && m["precision"]!["price"] is not null)!;
        var symbol = (string)market["symbol"]!;
        var (tickerStatus, ticker) = await user.GetAsync($"/api/exchange/ticker?exchange={exchange}&symbol={Uri.EscapeDataString(symbol)}");
        tickerStatus.ShouldBe(200, ticker.ToJsonString());
        ticker["last"]!.GetValue<decimal>().ShouldBeGreaterThan(0m);

        // The key: checked without storing, refused with a wrong secret, then stored.
        var (_, valid) = await user.PostAsync("/api/exchange/validate", Key(demo, demo.ApiSecret));
        valid["valid"]!.GetValue<bool>().ShouldBeTrue(valid.ToJsonString());
        if (features.Contains("key_permissions"))
            valid["permissions"]!.AsArray().Select(p => (string)p!).ShouldBe(demo.Permissions, ignoreOrder: true);
        else // the key proved itself with a signed read, and nothing more is claimed
            valid["permissions"]!.AsArray().Select(p => (string)p!).ShouldBe(["read"]);
        var (_, refused) = await user.PostAsync("/api/exchange/validate", Key(demo, WrongSecret(demo)));
        refused["valid"]!.GetValue<bool>().ShouldBeFalse();
        refused["error_type"]!.GetValue<string>().ShouldBe("auth_error", refused.ToJsonString());
        var store = Key(demo, demo.ApiSecret);
        store["exchange_name"] = exchange;
        store.Remove("exchange");
        var (stored, credential) = await user.PostAsync("/api/exchange/credentials", store);
        stored.ShouldBe(201, credential.ToJsonString());

        // Balances: exactly what the exchange holds for the account.
        var held = (await sync.Client(exchange).GetBalancesAsync(SyncSuite.Keys(demo))).Values.Where(b => b.Total != 0m).ToDictionary(b => b.Currency);
        var (_, balances) = await user.PostAsync($"/api/exchange/balance/sync?exchange={exchange}");
        balances["success"]!.GetValue<bool>().ShouldBeTrue(balances.ToJsonString());
        balances["balances"]!.AsObject().Select(p => p.Key).ShouldBe(held.Keys, ignoreOrder: true);
        foreach (var (currency, balance) in held)
            balances["balances"]![currency]!["total"]!.GetValue<decimal>().ShouldBe(balance.Total);

        // Trades: every one the exchange serves the account, through every page.
        var symbols = TradedSymbols.GetValueOrDefault(exchange, [null]);
        var served = new List<Trade>();
        foreach (var s in symbols)
            await foreach (var page in sync.Client(exchange).GetMyTradesAsync(SyncSuite.Keys(demo), new MyTradesQuery(s, PageSize: 1000)))
                served.AddRange(page.Trades);
        served.Count.ShouldBeGreaterThan(0);
        var synced = await user.SyncTradesAsync(exchange, "&limit=50");
        synced["success"]!.GetValue<bool>().ShouldBeTrue(synced.ToJsonString());
        synced["trades_synced"]!.GetValue<int>().ShouldBe(served.Count);
        var (_, listedTrades) = await user.GetAsync($"/api/exchange/trades?exchange={exchange}&limit=1000");
        listedTrades["total_records"]!.GetValue<int>().ShouldBe(served.Count);
        listedTrades["trades"]!.AsArray().Select(t => (string)t!["exchange_trade_id"]!).ShouldBe(served.Select(t => t.Id), ignoreOrder: true);
    }

    private static JsonObject Key(SimulatedAccount account, string secret) => new()
    {
        ["exchange"] = account.Exchange,
        ["api_key"] = account.ApiKey,
        ["api_secret"] = secret,
        ["api_passphrase"] = account.Passphrase,
    };

    /// <summary>A secret the client can still sign with, so only the exchange's signature check can tell: for an HMAC
    /// secret one character changed; for a private key (Coinbase's PEM) another account's key under this key's name.</summary>
    private string WrongSecret(SimulatedAccount account) =>
        account.ApiSecret.Contains("-----BEGIN", StringComparison.Ordinal)
            ? sync.Simulator.Accounts.First(a => a.Exchange == account.Exchange && a.Name != account.Name && a.ApiSecret.Contains("-----BEGIN")).ApiSecret
            : (account.ApiSecret[0] == 'A' ? 'B' : 'A') + account.ApiSecret[1..];
}
