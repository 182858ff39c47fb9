using System.Text.Json.Nodes;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>
/// Issue #7's acceptance run, one row per exchange: everything <c>/api/exchange/supported</c> advertises for it is
/// exercised through the gateway, the services and the bus against the simulator, with the simulator's demo account.
/// What the simulator serves that account is read beside it with the exchange client the services use.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class ExchangeEndToEndTests(SyncSuite sync)
{
    /// <summary>Small enough that every exchange needs several pages (Kraken's pages are always 50).</summary>
    private const int PageSize = 20;

    /// <summary>The exchanges that have an end-to-end row below; a new client without one fails the guard test.</summary>
    private static IEnumerable<string> Covered =>
        typeof(ExchangeEndToEndTests).GetMethod(nameof(every_capability_the_exchange_advertises_works_end_to_end_through_the_gateway))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(row => (string)row.GetData(null!).Single()[0]);

    /// <param name="tradedSymbols">Only for exchanges whose trades are read per symbol (Binance): the symbols the
    /// demo account has traded, so the served trades can be read beside the sync.</param>
    [Theory]
    [InlineData("binance", "BTC/USDT", "ETH/USDT", "BNB/USDT", "ETH/BTC", "SOL/USDT")]
    [InlineData("binanceus", "BTC/USD", "ETH/USD", "SOL/USD", "BTC/USDT", "ADA/USD")]
    [InlineData("kraken")]
    [InlineData("bybit")]
    [InlineData("okx")]
    [InlineData("kucoin")]
    [InlineData("gate_io")]
    [InlineData("bitfinex")]
    [InlineData("coinbase")]
    public async Task every_capability_the_exchange_advertises_works_end_to_end_through_the_gateway(string exchange, params string[] tradedSymbols)
    {
        var run = new Run(sync, exchange, tradedSymbols);
        var features = await run.AdvertisedFeaturesAsync();
        features.ShouldNotBeEmpty($"{exchange} has a client, so it advertises what it can do");

        await run.StoreAndValidateCredentialAsync();
        await run.WrongSecretIsAnAuthErrorAsync();

        var checks = new Dictionary<string, Func<Task>>
        {
            ["health"] = run.HealthAsync,
            ["markets"] = run.MarketsAsync,
            ["ticker"] = run.TickerAsync,
            ["balances"] = run.BalancesAsync,
            ["trades"] = run.TradesAsync,
            ["key_permissions"] = run.KeyPermissionsAsync,
            ["bnb_burn"] = run.BnbBurnAsync,
            ["dust_assets"] = run.DustAssetsAsync,
        };
        foreach (var feature in features)
        {
            checks.ShouldContainKey(feature, $"{exchange} advertises '{feature}', which has no end-to-end check here");
            await checks[feature]();
        }
    }

    [Fact]
    public async Task every_exchange_that_advertises_features_has_an_end_to_end_row()
    {
        var (status, body) = await new User(sync).GetAsync("/api/exchange/supported");
        status.ShouldBe(200, body.ToJsonString());
        body["count"]!.GetValue<int>().ShouldBe(9);
        var advertising = body["exchanges"]!.AsArray()
            .Where(e => e!["features"]!.AsArray().Count > 0)
            .Select(e => (string)e!["id"]!).ToList();
        advertising.ShouldBe(Covered, ignoreOrder: true);
    }

    /// <summary>One exchange's run: the user, the demo account, and what the simulator serves it.</summary>
    private sealed class Run(SyncSuite sync, string exchange, string[] tradedSymbols)
    {
        private readonly User _user = new(sync);
        private readonly SimulatedAccount _demo = sync.Simulator.Account(exchange, "demo");
        private readonly IExchangeClient _client = sync.Client(exchange);
        private List<Trade>? _served;

        public async Task<IReadOnlyList<string>> AdvertisedFeaturesAsync()
        {
            var (status, supported) = await _user.GetAsync("/api/exchange/supported");
            status.ShouldBe(200, supported.ToJsonString());
            var entry = supported["exchanges"]!.AsArray().Single(e => (string)e!["id"]! == exchange)!;
            var features = Strings(entry["features"]);
            entry["requires_passphrase"]!.GetValue<bool>().ShouldBe(_demo.Passphrase is not null);

            var (infoStatus, info) = await _user.GetAsync($"/api/exchange/{exchange}/info");
            infoStatus.ShouldBe(200, info.ToJsonString());
            info["id"]!.GetValue<string>().ShouldBe(exchange);
            info["has_client"]!.GetValue<bool>().ShouldBeTrue();
            info["api_base_url"]!.GetValue<string>().ShouldBe(sync.Simulator.BaseUrl(exchange));
            Strings(info["features"]).ShouldBe(features);
            info["rate_limits"]!.AsArray().ShouldNotBeEmpty($"{exchange}'s info names the rate limits its client keeps to");
            info["rate_limits"]!.AsArray().ShouldAllBe(r => r!["limit"]!.GetValue<int>() > 0 && ((string)r["description"]!).Length > 0);
            info["maker_fee"]!.GetValue<decimal>().ShouldBeGreaterThan(0m);
            return features;
        }

        public async Task StoreAndValidateCredentialAsync()
        {
            var credential = await _user.ConnectAsync(_demo);
            var stored = await WaitForValidationAsync(credential);
            stored["validation_status"]!.GetValue<string>().ShouldBe("valid", stored.ToJsonString());
            stored["has_passphrase"]!.GetValue<bool>().ShouldBe(_demo.Passphrase is not null);

            var (status, check) = await _user.PostAsync("/api/exchange/validate", KeyBody(_demo.ApiSecret));
            status.ShouldBe(200, check.ToJsonString());
            check["valid"]!.GetValue<bool>().ShouldBeTrue(check.ToJsonString());
            check["exchange"]!.GetValue<string>().ShouldBe(exchange);
            check["error_type"].ShouldBeNull();
            // Exactly the seeded permissions where the exchange reports them (key_permissions below); never more.
            Strings(check["permissions"]).ShouldBeSubsetOf(_demo.Permissions);
        }

        public async Task WrongSecretIsAnAuthErrorAsync()
        {
            var wrong = WrongSecret();
            var (status, check) = await _user.PostAsync("/api/exchange/validate", KeyBody(wrong));
            status.ShouldBe(200, check.ToJsonString());
            check["valid"]!.GetValue<bool>().ShouldBeFalse();
            check["error_type"]!.GetValue<string>().ShouldBe("auth_error", check.ToJsonString());
            check.ToJsonString().ShouldNotContain(wrong);

            // A stored credential with that secret: the sync says so in the body, as the contract's results do.
            var rejected = await _user.ConnectAsync(_demo, secret: wrong, name: "Wrong secret");
            var (syncStatus, result) = await _user.PostAsync($"/api/exchange/balance/sync?exchange={exchange}&credential_id={rejected}");
            syncStatus.ShouldBe(200, result.ToJsonString());
            result["success"]!.GetValue<bool>().ShouldBeFalse();
            result["error_type"]!.GetValue<string>().ShouldBe("auth_error", result.ToJsonString());
            result.ToJsonString().ShouldNotContain(wrong);
            (await _user.SendAsync(HttpMethod.Delete, $"/api/exchange/credentials/{rejected}")).Status.ShouldBe(200);
        }

        public async Task HealthAsync()
        {
            var (status, health) = await _user.GetAsync($"/api/exchange/{exchange}/health?force_refresh=true");
            status.ShouldBe(200, health.ToJsonString());
            health["exchange"]!.GetValue<string>().ShouldBe(exchange);
            health["status"]!.GetValue<string>().ShouldBe("ok", health.ToJsonString());
            // A forced refresh right after /info's check may be answered from it (the monitor spares the exchange).
            DateTimeOffset.Parse((string)health["checked_at"]!).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
            health["error"].ShouldBeNull();
        }

        public async Task MarketsAsync()
        {
            var served = (await _client.GetMarketsAsync()).ToDictionary(m => m.Symbol);
            var (status, body) = await _user.GetAsync($"/api/exchange/markets?exchange={exchange}");
            status.ShouldBe(200, body.ToJsonString());
            body["exchange"]!.GetValue<string>().ShouldBe(exchange);
            var markets = body["markets"]!.AsArray().ToDictionary(m => (string)m!["symbol"]!, m => m!);
            body["count"]!.GetValue<int>().ShouldBe(markets.Count);
            markets.Keys.ShouldBe(served.Keys, ignoreOrder: true);

            foreach (var symbol in (await ServedTradesAsync()).Select(t => t.Symbol).Distinct())
            {
                markets.ShouldContainKey(symbol, $"{exchange}'s markets include {symbol}, which the demo account trades");
                var market = markets[symbol];
                market["exchange_symbol"]!.GetValue<string>().ShouldBe(served[symbol].ExchangeSymbol);
                market["precision"]!["amount"]!.GetValue<decimal>().ShouldBe(served[symbol].Precision.Amount!.Value);
                market["precision"]!["price"]!.GetValue<decimal>().ShouldBe(served[symbol].Precision.Price!.Value);
                market["precision"]!["amount"]!.GetValue<decimal>().ShouldBeGreaterThan(0m);
                market["precision"]!["price"]!.GetValue<decimal>().ShouldBeGreaterThan(0m);
            }
        }

        public async Task TickerAsync()
        {
            var symbol = (await ServedTradesAsync()).Select(t => t.Symbol).Order(StringComparer.Ordinal).First();
            var (status, ticker) = await _user.GetAsync($"/api/exchange/ticker?exchange={exchange}&symbol={Uri.EscapeDataString(symbol)}");
            status.ShouldBe(200, ticker.ToJsonString());
            var served = await _client.GetTickerAsync(symbol);
            ticker["exchange"]!.GetValue<string>().ShouldBe(exchange);
            ticker["symbol"]!.GetValue<string>().ShouldBe(symbol);
            ticker["exchange_symbol"]!.GetValue<string>().ShouldBe(served.ExchangeSymbol);
            ticker["last"]!.GetValue<decimal>().ShouldBe(served.Last!.Value);
            ((decimal?)ticker["bid"]).ShouldBe(served.Bid);
            ((decimal?)ticker["ask"]).ShouldBe(served.Ask);
            served.Last.Value.ShouldBeGreaterThan(0m);
        }

        public async Task BalancesAsync()
        {
            var held = (await _client.GetBalancesAsync(SyncSuite.Keys(_demo))).Values.Where(b => b.Total != 0m).ToDictionary(b => b.Currency);
            held.ShouldNotBeEmpty();

            var (status, result) = await _user.PostAsync($"/api/exchange/balance/sync?exchange={exchange}");
            status.ShouldBe(200, result.ToJsonString());
            result["success"]!.GetValue<bool>().ShouldBeTrue(result.ToJsonString());
            result["exchange"]!.GetValue<string>().ShouldBe(exchange);
            result["currencies_synced"]!.GetValue<int>().ShouldBe(held.Count);
            ShouldEqual(result["balances"]!, held);

            var (_, stored) = await _user.GetAsync($"/api/exchange/balance?exchange={exchange}");
            ShouldEqual(stored["balances"]!, held);
            stored["last_sync"].ShouldNotBeNull();
        }

        public async Task TradesAsync()
        {
            var served = await ServedTradesAsync();
            served.Count.ShouldBeGreaterThan(3 * PageSize, "the demo account's history takes several pages");

            var (status, result) = await _user.PostAsync($"/api/exchange/trades/sync?exchange={exchange}&limit={PageSize}");
            status.ShouldBe(200, result.ToJsonString());
            result["success"]!.GetValue<bool>().ShouldBeTrue(result.ToJsonString());
            result["trades_synced"]!.GetValue<int>().ShouldBe(served.Count);
            result["trades_duplicate"]!.GetValue<int>().ShouldBe(0);

            var stored = await AllStoredTradesAsync();
            stored.Count.ShouldBe(served.Count);
            var byKey = stored.ToDictionary(t => ((string)t["symbol"]!, (string)t["exchange_trade_id"]!));
            foreach (var trade in served)
            {
                byKey.ShouldContainKey((trade.Symbol, trade.Id));
                var row = byKey[(trade.Symbol, trade.Id)];
                row["side"]!.GetValue<string>().ShouldBe(trade.Side == TradeSide.Buy ? "buy" : "sell");
                row["price"]!.GetValue<decimal>().ShouldBe(trade.Price);
                row["amount"]!.GetValue<decimal>().ShouldBe(trade.Amount);
                ((decimal?)row["fee"]).ShouldBe(trade.Fee);
                DateTimeOffset.Parse((string)row["trade_timestamp"]!).ShouldBe(trade.Timestamp);
            }

            var again = await _user.SyncTradesAsync(exchange, $"&limit={PageSize}");
            again["success"]!.GetValue<bool>().ShouldBeTrue(again.ToJsonString());
            again["trades_synced"]!.GetValue<int>().ShouldBe(0);
        }

        public async Task KeyPermissionsAsync()
        {
            var (_, check) = await _user.PostAsync("/api/exchange/validate", KeyBody(_demo.ApiSecret));
            Strings(check["permissions"]).ShouldBe(_demo.Permissions, ignoreOrder: true);
        }

        public async Task BnbBurnAsync()
        {
            var (status, before) = await _user.GetAsync($"/api/exchange/bnb-burn?exchange={exchange}");
            status.ShouldBe(200, before.ToJsonString());
            var was = before["spot_bnb_burn"]!.GetValue<bool>();
            try
            {
                var (setStatus, set) = await _user.PostAsync("/api/exchange/bnb-burn", new Dictionary<string, object> { ["spot_bnb_burn"] = !was, ["exchange"] = exchange });
                setStatus.ShouldBe(200, set.ToJsonString());
                set["spot_bnb_burn"]!.GetValue<bool>().ShouldBe(!was);
                (await ((IBnbBurnAccount)_client).GetBnbBurnAsync(SyncSuite.Keys(_demo))).SpotBnbBurn.ShouldBe(!was);
            }
            finally
            {
                await _user.PostAsync("/api/exchange/bnb-burn", new Dictionary<string, object> { ["spot_bnb_burn"] = was, ["exchange"] = exchange });
            }
        }

        public async Task DustAssetsAsync()
        {
            var served = await ((IDustAssetsAccount)_client).GetDustAssetsAsync(SyncSuite.Keys(_demo));
            var (status, dust) = await _user.GetAsync($"/api/exchange/dust-assets?exchange={exchange}");
            status.ShouldBe(200, dust.ToJsonString());
            dust["exchange"]!.GetValue<string>().ShouldBe(exchange);
            var assets = dust["assets"]!.AsArray().ToDictionary(a => (string)a!["asset"]!, a => a!["free"]!.GetValue<decimal>());
            assets.ShouldBe(served.Assets.ToDictionary(a => a.Asset, a => a.Free));
            served.Assets.ShouldNotBeEmpty();
        }

        /// <summary>Every trade the simulator serves the demo account, read with the largest pages the client allows.</summary>
        private async Task<List<Trade>> ServedTradesAsync()
        {
            if (_served is not null) return _served;
            var trades = new List<Trade>();
            foreach (var symbol in tradedSymbols.Length > 0 ? tradedSymbols.Select(s => (string?)s) : [null])
                await foreach (var page in _client.GetMyTradesAsync(SyncSuite.Keys(_demo), new MyTradesQuery(symbol, PageSize: 1000)))
                    trades.AddRange(page.Trades);
            trades.Select(t => (t.Symbol, t.Id)).ShouldBeUnique();
            return _served = trades;
        }

        private async Task<List<JsonNode>> AllStoredTradesAsync()
        {
            var all = new List<JsonNode>();
            for (var offset = 0; ; offset += 100)
            {
                var (status, body) = await _user.GetAsync($"/api/exchange/trades?exchange={exchange}&limit=100&offset={offset}");
                status.ShouldBe(200, body.ToJsonString());
                all.AddRange(body["trades"]!.AsArray().Select(t => t!));
                if (!body["has_more"]!.GetValue<bool>()) return all;
            }
        }

        private async Task<JsonNode> WaitForValidationAsync(Guid credential)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var (status, body) = await _user.GetAsync($"/api/exchange/credentials/{credential}");
                status.ShouldBe(200, body.ToJsonString());
                if ((string?)body["validation_status"] != "pending" || DateTime.UtcNow > deadline) return body;
                await Task.Delay(200);
            }
        }

        private Dictionary<string, object?> KeyBody(string secret) => new()
        {
            ["exchange"] = exchange,
            ["api_key"] = _demo.ApiKey,
            ["api_secret"] = secret,
            ["api_passphrase"] = _demo.Passphrase,
        };

        /// <summary>A secret the client can still sign with, so only the exchange's signature check can tell: an HMAC secret
        /// with one character changed; for a private key (Coinbase's PEM, which a changed character would make unreadable
        /// before any request) another account's key under this key's name.</summary>
        private string WrongSecret() =>
            _demo.ApiSecret.Contains("-----BEGIN", StringComparison.Ordinal)
                ? sync.Simulator.Accounts.First(a => a.Exchange == exchange && a.Name != _demo.Name && a.ApiSecret.Contains("-----BEGIN")).ApiSecret
                : (_demo.ApiSecret[0] == 'A' ? 'B' : 'A') + _demo.ApiSecret[1..];

        private static void ShouldEqual(JsonNode balances, Dictionary<string, Balance> held)
        {
            balances.AsObject().Select(p => p.Key).ShouldBe(held.Keys, ignoreOrder: true);
            foreach (var (currency, balance) in held)
            {
                balances[currency]!["free"]!.GetValue<decimal>().ShouldBe(balance.Free);
                balances[currency]!["locked"]!.GetValue<decimal>().ShouldBe(balance.Locked);
                balances[currency]!["total"]!.GetValue<decimal>().ShouldBe(balance.Total);
            }
        }

        private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(s => (string)s!).ToList();
    }
}
