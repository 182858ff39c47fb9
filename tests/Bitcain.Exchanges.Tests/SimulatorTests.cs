using System.Globalization;
using Bitcain.ExchangeSimulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>One in-process simulator for the whole class; every test starts from <see cref="RunningSimulator.Reset"/>.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public RunningSimulator Sim { get; private set; } = null!;

    public async Task InitializeAsync() => Sim = await SimulatorHost.StartAsync(new SimulatorOptions { LoadAccountTrades = 5000 });

    public async Task DisposeAsync() => await Sim.DisposeAsync();
}

/// <summary>The clients against the simulator over real HTTP: the base URL is all that points them there.</summary>
public class SimulatorTests : IClassFixture<SimulatorFixture>
{
    private readonly RunningSimulator sim;

    public SimulatorTests(SimulatorFixture fixture)
    {
        sim = fixture.Sim;
        sim.Reset();
    }

    private IExchangeClient Client(string exchange, IDictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var settings = ExchangeServiceCollectionExtensions.ImplementedExchanges.ToDictionary(id => $"Exchanges:{id}:BaseUrl", id => (string?)sim.BaseUrl(id));
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        return services.AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get(exchange);
    }

    private ExchangeApiCredentials Credentials(string exchange, string account = "demo")
    {
        var a = sim.Account(exchange, account);
        return new ExchangeApiCredentials(a.ApiKey, a.ApiSecret, a.Passphrase);
    }

    private static void ShouldNotLeak(ExchangeException e, ExchangeApiCredentials credentials)
    {
        foreach (var text in new[] { e.ToString(), e.Message, e.ExchangeMessage ?? "" })
        {
            text.ShouldNotContain(credentials.ApiKey);
            text.ShouldNotContain(credentials.ApiSecret);
            text.ShouldNotContain("signature=");
        }
    }

    [Theory]
    [MemberData(nameof(ExchangeModuleTests.Ids), MemberType = typeof(ExchangeModuleTests))]
    public async Task public_data_health_markets_and_ticker(string exchange)
    {
        await PublicDataChecks.RunAsync(Client(exchange));
    }

    [Theory]
    [InlineData("binance", "BTC", 0.51234567, 0.01)]
    [InlineData("binanceus", "USD", 5000, 120)]
    [InlineData("kraken", "BTC", 0.4, 0.1)]
    [InlineData("bybit", "BTC", 0.3, 0.05)]
    [InlineData("okx", "BTC", 0.25, 0.01)]
    [InlineData("kucoin", "BTC", 0.35, 0.02)]
    [InlineData("gate_io", "BTC", 0.4, 0.03)]
    [InlineData("bitfinex", "BTC", 0.4, 0.03)]
    [InlineData("coinbase", "BTC", 0.4, 0.03)]
    public async Task balances_of_the_demo_account(string exchange, string currency, double free, double locked)
    {
        var balances = await Client(exchange).GetBalancesAsync(Credentials(exchange));
        balances[currency].ShouldBe(new Balance(currency, (decimal)free, (decimal)locked));
        if (exchange == "kraken") balances.Keys.ShouldContain("USD");
    }

    [Theory]
    [InlineData("binance", "demo", "read,trade")]
    [InlineData("binance", "readonly", "read")]
    [InlineData("binanceus", "demo", "read,trade")]
    [InlineData("binanceus", "readonly", "read")]
    [InlineData("kraken", "demo", "read,trade")]
    [InlineData("kraken", "readonly", "read")]
    [InlineData("bybit", "demo", "read,trade")]
    [InlineData("bybit", "readonly", "read")]
    [InlineData("okx", "demo", "read,trade")]
    [InlineData("okx", "readonly", "read")]
    [InlineData("kucoin", "demo", "read,trade")]
    [InlineData("kucoin", "readonly", "read")]
    [InlineData("bitfinex", "demo", "read,trade")]
    [InlineData("bitfinex", "readonly", "read")]
    [InlineData("coinbase", "demo", "read,trade")]
    [InlineData("coinbase", "readonly", "read")]
    [InlineData("coinbase", "demo-ed25519", "read,trade,withdraw")]
    public async Task key_permissions(string exchange, string account, string expected) =>
        string.Join(",", (await Client(exchange).GetKeyPermissionsAsync(Credentials(exchange, account))).Names).ShouldBe(expected);

    [Fact]
    public async Task binance_trades_follow_from_id_to_the_end()
    {
        var pages = await Client("binance").GetMyTradesAsync(Credentials("binance"), new MyTradesQuery("BTC/USDT", PageSize: 50)).ToListAsync();
        pages.Select(p => p.Trades.Count).ShouldBe([50, 50, 20]);
        var ids = pages.SelectMany(p => p.Trades).Select(t => long.Parse(t.Id, CultureInfo.InvariantCulture)).ToList();
        ids.ShouldBe(ids.Order().Distinct());
        pages.SelectMany(p => p.Trades).ShouldAllBe(t => t.Symbol == "BTC/USDT" && t.Fee != null && t.FeeCurrency != null && t.Cost > 0m);
        sim.Requests.Count("binance", "/api/v3/myTrades").ShouldBe(3);
    }

    [Fact]
    public async Task binance_trades_since_a_date_walk_windows_then_ids_and_find_every_trade()
    {
        var since = sim.Options.DataEpoch - TimeSpan.FromDays(31);
        var all = (await Client("binance").GetMyTradesAsync(Credentials("binance"), new MyTradesQuery("ETHUSDT", since, PageSize: 1000)).ToListAsync())
            .SelectMany(p => p.Trades).ToList();
        all.Count.ShouldBe(90);
        all.Select(t => t.Id).Distinct().Count().ShouldBe(90);
        all.ShouldAllBe(t => t.Timestamp >= since);
    }

    [Fact]
    public async Task binance_load_account_pages_through_a_long_history()
    {
        var pages = await Client("binance").GetMyTradesAsync(Credentials("binance", "load"), new MyTradesQuery("BTC/USDT", PageSize: 1000)).ToListAsync();
        pages.Sum(p => p.Trades.Count).ShouldBe(1500);
        pages.SelectMany(p => p.Trades).Select(t => t.Id).Distinct().Count().ShouldBe(1500);
        pages.Last().NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task binance_us_trades_use_its_own_markets()
    {
        var trades = (await Client("binanceus").GetMyTradesAsync(Credentials("binanceus"), new MyTradesQuery("BTC/USD")).ToListAsync()).SelectMany(p => p.Trades).ToList();
        trades.Count.ShouldBe(100);
        trades.ShouldAllBe(t => t.Symbol == "BTC/USD" && t.ExchangeSymbol == "BTCUSD");
    }

    [Fact]
    public async Task kraken_trades_page_by_50_with_ofs_to_the_end()
    {
        var pages = await Client("kraken").GetMyTradesAsync(Credentials("kraken"), new MyTradesQuery()).ToListAsync();
        pages.Select(p => p.Trades.Count).ShouldBe([50, 50, 50, 50, 50, 50, 20]);
        var trades = pages.SelectMany(p => p.Trades).ToList();
        trades.Select(t => t.Id).Distinct().Count().ShouldBe(320);
        trades.ShouldAllBe(t => !t.Symbol.Contains("XBT") && !t.Symbol.Contains("ZUSD") && t.Fee != null);
        trades.Select(t => t.Symbol).ShouldContain("BTC/USD");
        sim.Requests.Count("kraken", "/0/private/TradesHistory").ShouldBe(7);
    }

    [Fact]
    public async Task kraken_trades_for_one_symbol_since_a_date()
    {
        var since = sim.Options.DataEpoch - TimeSpan.FromDays(10);
        var trades = (await Client("kraken").GetMyTradesAsync(Credentials("kraken"), new MyTradesQuery("BTC/USD", since)).ToListAsync()).SelectMany(p => p.Trades).ToList();
        trades.ShouldNotBeEmpty();
        trades.ShouldAllBe(t => t.Symbol == "BTC/USD" && t.Timestamp > since);
    }

    [Fact]
    public async Task bybit_trades_walk_every_window_to_the_end_and_resume_from_a_cursor()
    {
        var since = sim.Options.DataEpoch.AddDays(-31);
        var client = Client("bybit");
        var pages = await client.GetMyTradesAsync(Credentials("bybit"), new MyTradesQuery(Since: since, PageSize: 40)).ToListAsync();
        var trades = pages.SelectMany(p => p.Trades).ToList();
        trades.Count.ShouldBe(300); // the demo account's whole history lies in the 30 days before DataEpoch
        trades.Select(t => t.Id).Distinct().Count().ShouldBe(300);
        // Bybit pages newest first inside a 7-day window; each page is handed back oldest first.
        pages.ShouldAllBe(p => p.Trades.Select(t => t.Timestamp).SequenceEqual(p.Trades.Select(t => t.Timestamp).Order()));
        pages.Last().NextCursor.ShouldBeNull();
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.NextCursor != null);
        pages.ShouldAllBe(p => p.Trades.Count <= 40);
        pages.Any(p => p.Trades.Count == 40).ShouldBeTrue(); // some window needed more than one page

        var resumeAt = pages.FindIndex(p => p.Trades.Count == 40);
        var rest = await client.GetMyTradesAsync(Credentials("bybit"), new MyTradesQuery(Since: since, PageSize: 40, Cursor: pages[resumeAt].NextCursor)).ToListAsync();
        rest.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(resumeAt + 1).SelectMany(p => p.Trades).Select(t => t.Id));

        var btc = await client.GetMyTradesAsync(Credentials("bybit"), new MyTradesQuery("BTC/USDT", since)).ToListAsync();
        var btcTrades = btc.SelectMany(p => p.Trades).ToList();
        btcTrades.ShouldAllBe(t => t.Symbol == "BTC/USDT" && t.ExchangeSymbol == "BTCUSDT");
        btcTrades.Select(t => t.Id).ShouldBe(trades.Where(t => t.Symbol == "BTC/USDT").Select(t => t.Id), ignoreOrder: true);
        btcTrades.ShouldAllBe(t => t.Fee > 0 && t.Cost > 0 && t.FeeCurrency != null && t.Liquidity != null);
    }

    [Fact]
    public async Task bybit_a_burst_of_private_calls_is_held_back_under_the_per_second_limit()
    {
        var client = Client("bybit");
        var started = DateTimeOffset.UtcNow;
        var answers = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => client.GetBalancesAsync(Credentials("bybit"))));
        answers.ShouldAllBe(b => b.ContainsKey("BTC"));
        // 5 at once, then 5 per second: about 4 s. Network jitter can carry a call into the exchange's next second;
        // the rare refusal that causes is waited out and retried, never surfaced.
        (DateTimeOffset.UtcNow - started).ShouldBeGreaterThan(TimeSpan.FromSeconds(3));
        sim.Requests.Count("bybit", "/v5/account/wallet-balance").ShouldBeLessThanOrEqualTo(27);
    }

    [Fact]
    public async Task okx_trades_page_back_by_bill_id_to_the_end_and_resume_from_a_cursor()
    {
        var since = sim.Options.DataEpoch.AddDays(-31);
        var client = Client("okx");
        var pages = await client.GetMyTradesAsync(Credentials("okx"), new MyTradesQuery(Since: since)).ToListAsync();
        pages.Select(p => p.Trades.Count).ShouldBe([100, 100, 50]); // the demo account's 250 fills
        pages.SelectMany(p => p.Trades).Select(t => t.Id).Distinct().Count().ShouldBe(250);
        pages.Select(p => p.NextCursor is null).ShouldBe([false, false, true]);
        pages.ShouldAllBe(p => p.Trades.Select(t => t.Timestamp).SequenceEqual(p.Trades.Select(t => t.Timestamp).Order()));
        pages.SelectMany(p => p.Trades).ShouldAllBe(t => t.Fee > 0 && t.FeeCurrency != null && t.Liquidity != null && t.Cost == t.Price * t.Amount);

        var rest = await client.GetMyTradesAsync(Credentials("okx"), new MyTradesQuery(Since: since, Cursor: pages[0].NextCursor)).ToListAsync();
        rest.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(1).SelectMany(p => p.Trades).Select(t => t.Id));

        var btc = (await client.GetMyTradesAsync(Credentials("okx"), new MyTradesQuery("BTC/USD", since)).ToListAsync()).SelectMany(p => p.Trades).ToList();
        btc.ShouldNotBeEmpty();
        btc.Select(t => t.Id).ShouldBe(pages.SelectMany(p => p.Trades).Where(t => t.Symbol == "BTC/USD").Select(t => t.Id), ignoreOrder: true);
    }

    [Fact]
    public async Task kucoin_fills_walk_every_window_page_by_page_to_the_end()
    {
        var since = sim.Options.DataEpoch.AddDays(-31);
        var client = Client("kucoin");
        var pages = await client.GetMyTradesAsync(Credentials("kucoin"), new MyTradesQuery(Since: since, PageSize: 20)).ToListAsync();
        var trades = pages.SelectMany(p => p.Trades).ToList();
        trades.Count.ShouldBe(280);
        trades.Select(t => t.Id).Distinct().Count().ShouldBe(280);
        pages.Any(p => p.Trades.Count == 20).ShouldBeTrue();
        pages.Last().NextCursor.ShouldBeNull();
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.NextCursor != null);
        pages.ShouldAllBe(p => p.Trades.Select(t => t.Timestamp).SequenceEqual(p.Trades.Select(t => t.Timestamp).Order()));

        var resumeAt = pages.FindIndex(p => p.Trades.Count == 20);
        var rest = await client.GetMyTradesAsync(Credentials("kucoin"), new MyTradesQuery(Since: since, PageSize: 20, Cursor: pages[resumeAt].NextCursor)).ToListAsync();
        rest.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(resumeAt + 1).SelectMany(p => p.Trades).Select(t => t.Id));

        var xlm = (await client.GetMyTradesAsync(Credentials("kucoin"), new MyTradesQuery("XLM/USDT", since, PageSize: 100)).ToListAsync()).SelectMany(p => p.Trades).ToList();
        xlm.ShouldNotBeEmpty();
        xlm.Select(t => t.Id).ShouldBe(trades.Where(t => t.Symbol == "XLM/USDT").Select(t => t.Id), ignoreOrder: true);
    }

    [Fact]
    public async Task gate_io_trades_walk_every_window_page_by_page_and_key_permissions_are_not_claimed()
    {
        var since = sim.Options.DataEpoch.AddDays(-31);
        var client = Client("gate_io");
        var pages = await client.GetMyTradesAsync(Credentials("gate_io"), new MyTradesQuery(Since: since, PageSize: 25)).ToListAsync();
        var trades = pages.SelectMany(p => p.Trades).ToList();
        trades.Count.ShouldBe(260);
        trades.Select(t => t.Id).Distinct().Count().ShouldBe(260);
        pages.Any(p => p.Trades.Count == 25).ShouldBeTrue();
        pages.Last().NextCursor.ShouldBeNull();
        trades.ShouldAllBe(t => t.Fee > 0 && t.FeeCurrency == "USDT" && t.Liquidity != null);

        var resumeAt = pages.FindIndex(p => p.Trades.Count == 25);
        var rest = await client.GetMyTradesAsync(Credentials("gate_io"), new MyTradesQuery(Since: since, PageSize: 25, Cursor: pages[resumeAt].NextCursor)).ToListAsync();
        rest.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(resumeAt + 1).SelectMany(p => p.Trades).Select(t => t.Id));

        client.Capabilities.HasFlag(ExchangeCapabilities.KeyPermissions).ShouldBeFalse();
        (await Should.ThrowAsync<ExchangeException>(() => client.GetKeyPermissionsAsync(Credentials("gate_io")))).ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
    }

    [Fact]
    public async Task binance_bnb_burn_round_trip_and_dust()
    {
        var client = (IBnbBurnAccount)Client("binance");
        var demo = Credentials("binance");
        (await client.GetBnbBurnAsync(demo)).SpotBnbBurn.ShouldBeTrue();
        (await client.SetSpotBnbBurnAsync(demo, false)).SpotBnbBurn.ShouldBeFalse();
        (await client.GetBnbBurnAsync(demo)).SpotBnbBurn.ShouldBeFalse();

        var dust = await ((IDustAssetsAccount)client).GetDustAssetsAsync(demo);
        dust.Assets.Select(a => a.Asset).ShouldContain("ADA");
        dust.Assets.ShouldAllBe(a => a.ToBnb > 0m && a.ToBtc > 0m);
        dust.TotalToBnb.ShouldBe(dust.Assets.Sum(a => a.ToBnb));
    }

    [Fact]
    public async Task binance_us_dust_and_no_bnb_burn()
    {
        var client = Client("binanceus");
        var dust = await ((IDustAssetsAccount)client).GetDustAssetsAsync(Credentials("binanceus"));
        dust.Assets.ShouldNotBeEmpty();
        dust.Assets.ShouldAllBe(a => a.Free > 0m && a.ToBnb > 0m);
        var e = await Should.ThrowAsync<ExchangeException>(() => ((IBnbBurnAccount)client).GetBnbBurnAsync(Credentials("binanceus")));
        e.ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
        sim.Requests.Count("binanceus", "/sapi/v1/bnbBurn").ShouldBe(0);
    }

    [Fact]
    public async Task a_read_only_key_changing_bnb_burn_is_permission_denied()
    {
        var readOnly = Credentials("binance", "readonly");
        var e = await Should.ThrowAsync<ExchangeException>(() => ((IBnbBurnAccount)Client("binance")).SetSpotBnbBurnAsync(readOnly, false));
        e.ErrorType.ShouldBe(ExchangeErrorType.PermissionDenied);
        ShouldNotLeak(e, readOnly);
    }

    public static TheoryData<string, string> BadKeys => new()
    {
        { "binance", "wrong-secret" }, { "binance", "unknown-key" }, { "binance", "malformed-key" },
        { "binanceus", "wrong-secret" }, { "kraken", "wrong-secret" }, { "kraken", "unknown-key" },
        { "bybit", "wrong-secret" }, { "bybit", "unknown-key" },
        { "okx", "wrong-secret" }, { "okx", "unknown-key" }, { "okx", "wrong-passphrase" }, { "okx", "no-passphrase" },
        { "kucoin", "wrong-secret" }, { "kucoin", "unknown-key" }, { "kucoin", "wrong-passphrase" }, { "kucoin", "no-passphrase" },
        { "gate_io", "wrong-secret" }, { "gate_io", "unknown-key" },
        { "bitfinex", "wrong-secret" }, { "bitfinex", "unknown-key" },
        { "coinbase", "wrong-secret" }, { "coinbase", "unknown-key" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task a_bad_key_or_secret_is_an_auth_error_that_names_neither(string exchange, string how)
    {
        var demo = Credentials(exchange);
        var bad = how switch
        {
            "wrong-secret" => demo with { ApiSecret = exchange == "kraken" ? Convert.ToBase64String(new byte[64]) : new string('x', 64) },
            "unknown-key" => demo with { ApiKey = exchange == "kraken" ? "nobody" + demo.ApiKey[6..] : new string('A', 64) },
            "wrong-passphrase" => demo with { Passphrase = "not-the-passphrase" },
            "no-passphrase" => demo with { Passphrase = null },
            _ => demo with { ApiKey = "short" },
        };
        var e = await Should.ThrowAsync<ExchangeException>(() => Client(exchange).GetBalancesAsync(bad));
        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        e.ExchangeCode.ShouldNotBeNull();
        ShouldNotLeak(e, bad);
    }

    [Theory]
    [InlineData("binance", "/api/v3/account")]
    [InlineData("binanceus", "/api/v3/account")]
    [InlineData("kraken", "/0/private/BalanceEx")]
    [InlineData("bybit", "/v5/account/wallet-balance")]
    [InlineData("okx", "/api/v5/account/balance")]
    [InlineData("kucoin", "/api/v1/accounts")]
    [InlineData("gate_io", "/api/v4/spot/accounts")]
    [InlineData("bitfinex", "/v2/auth/r/wallets")]
    [InlineData("coinbase", "/api/v3/brokerage/accounts")]
    public async Task faults_map_to_the_contracts_error_types(string exchange, string path)
    {
        var demo = Credentials(exchange);
        async Task<ExchangeException> Provoke(Fault fault, IDictionary<string, string?>? config = null)
        {
            sim.Faults.Clear();
            sim.Faults.Add(fault with { Exchange = exchange, Path = path });
            var e = await Should.ThrowAsync<ExchangeException>(() => Client(exchange, config).GetBalancesAsync(demo));
            ShouldNotLeak(e, demo);
            return e;
        }

        (await Provoke(new Fault(FaultKind.ServerError))).ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
        (await Provoke(new Fault(FaultKind.Maintenance))).ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
        (await Provoke(new Fault(FaultKind.DropConnection))).ErrorType.ShouldBe(ExchangeErrorType.NetworkError);
        var malformed = await Provoke(new Fault(FaultKind.MalformedJson));
        malformed.ErrorType.ShouldBe(ExchangeErrorType.MalformedResponse);
        var slow = await Provoke(new Fault(FaultKind.Latency) { Latency = TimeSpan.FromSeconds(3) },
            new Dictionary<string, string?> { [$"Exchanges:{exchange}:TimeoutSeconds"] = "0.5" });
        (slow.ErrorType, slow.Message.Contains("timed out")).ShouldBe((ExchangeErrorType.NetworkError, true));
        var limited = await Provoke(new Fault(FaultKind.RateLimited) { StatusCode = 429, RetryAfterSeconds = 30 });
        (limited.ErrorType, limited.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task kraken_locking_out_a_key_that_keeps_failing_is_rate_limited_not_auth()
    {
        sim.Options.Kraken.FailedAuthenticationsBeforeLockout = 2;
        try
        {
            var bad = Credentials("kraken") with { ApiSecret = Convert.ToBase64String(new byte[64]) };
            var client = Client("kraken", new Dictionary<string, string?> { ["Exchanges:kraken:MaxRetryAfterSeconds"] = "0.001" });
            for (var i = 0; i < 2; i++)
                (await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(bad))).ErrorType.ShouldBe(ExchangeErrorType.AuthError);
            var locked = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(bad));
            (locked.ErrorType, locked.ExchangeCode).ShouldBe((ExchangeErrorType.RateLimited, "EGeneral:Temporary lockout"));
            locked.RetryAfter.ShouldNotBeNull();
            ShouldNotLeak(locked, bad);
        }
        finally
        {
            sim.Options.Kraken.FailedAuthenticationsBeforeLockout = 0;
        }
    }

    [Fact]
    public async Task arguments_the_exchange_refuses_are_an_invalid_request()
    {
        var demo = Credentials("kraken");
        var e = await Should.ThrowAsync<ExchangeException>(async () =>
            await Client("kraken").GetMyTradesAsync(demo, new MyTradesQuery(FromTradeId: "not-a-trade-id")).ToListAsync());
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "EGeneral:Invalid arguments"));
        ShouldNotLeak(e, demo);

        var unknown = await Should.ThrowAsync<ExchangeException>(() => Client("binance").GetTickerAsync("NOPE/USDT"));
        (unknown.ErrorType, unknown.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "unknown_symbol"));
        sim.Requests.Count("binance", "/api/v3/ticker/24hr").ShouldBe(0);
    }

    [Theory]
    [InlineData("binance")]
    [InlineData("binanceus")]
    [InlineData("kraken")]
    [InlineData("bybit")]
    [InlineData("okx")]
    [InlineData("kucoin")]
    [InlineData("gate_io")]
    [InlineData("coinbase")]
    public async Task maintenance_shows_in_health(string exchange)
    {
        sim.Faults.Add(new Fault(FaultKind.Maintenance) { Exchange = exchange });
        var health = await Client(exchange).GetHealthAsync();
        health.Status.ShouldBe(ExchangeSystemStatus.Maintenance);
        health.ServerTime.ShouldBeNull(); // the simulator refuses even the time endpoint in maintenance
    }

    [Theory]
    [InlineData("binance", "/api/v3/account")]
    [InlineData("kraken", "/0/private/BalanceEx")]
    [InlineData("bybit", "/v5/account/wallet-balance")]
    [InlineData("okx", "/api/v5/account/balance")]
    [InlineData("kucoin", "/api/v1/accounts")]
    [InlineData("gate_io", "/api/v4/spot/accounts")]
    [InlineData("bitfinex", "/v2/auth/r/wallets")]
    [InlineData("coinbase", "/api/v3/brokerage/accounts")]
    public async Task a_short_rate_limit_is_waited_out_and_retried_once(string exchange, string path)
    {
        sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = exchange, Path = path, StatusCode = 429, RetryAfterSeconds = 1, Times = 1 });
        // The limit here is high so that the 429's used-weight header does not also hold us to the next minute.
        var client = Client(exchange, new Dictionary<string, string?> { [$"Exchanges:{exchange}:RateLimit"] = "100000" });
        (await client.GetBalancesAsync(Credentials(exchange))).ShouldNotBeEmpty();
        // Coinbase's demo account has a second page of accounts after the retried first one.
        sim.Requests.Count(exchange, path).ShouldBe(exchange == "coinbase" ? 3 : 2);
    }

    [Fact]
    public async Task kraken_a_burst_of_private_calls_stays_under_the_call_counter()
    {
        sim.Options.Kraken.MaxCounter = 6;
        sim.Options.Kraken.DecayPerSecond = 5;
        try
        {
            // Our model of the counter is stricter than the exchange's, with room for requests that a busy
            // machine delivers in a bunch (one was refused and retried at load 20 with a 6 vs 6, 4 vs 5 model).
            var client = Client("kraken", new Dictionary<string, string?> { ["Exchanges:kraken:RateLimit"] = "4", ["Exchanges:kraken:RateDecayPerSecond"] = "2.5" });
            var demo = Credentials("kraken");
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetBalancesAsync(demo)));
            sim.Requests.Count("kraken", "/0/private/BalanceEx").ShouldBe(20); // no call was refused and retried
        }
        finally
        {
            sim.Options.Kraken.MaxCounter = 20;
            sim.Options.Kraken.DecayPerSecond = 0.5;
        }
    }

    [Fact]
    public async Task binance_a_burst_is_held_back_at_the_request_weight_limit_instead_of_being_refused()
    {
        sim.Options.Binance.RequestWeightPerMinute = 200;
        try
        {
            // Start well inside a minute, so the whole burst falls in one weight window.
            var now = DateTimeOffset.UtcNow;
            if (now.Second > 40) await Task.Delay(TimeSpan.FromSeconds(61 - now.Second));
            var client = Client("binance", new Dictionary<string, string?> { ["Exchanges:binance:RateLimit"] = "200" });
            await client.GetMarketsAsync(); // weight 20
            using var stop = new CancellationTokenSource();
            var burst = Enumerable.Range(0, 120).Select(_ => client.GetTickerAsync("BTC/USDT", stop.Token)).ToList();
            for (var waited = 0; waited < 100 && burst.Count(t => t.IsCompleted) < 90; waited++) await Task.Delay(100);
            await Task.Delay(TimeSpan.FromSeconds(1)); // time for any request beyond the budget to (wrongly) go out
            DateTimeOffset.UtcNow.Minute.ShouldBe(now.Second > 40 ? now.AddMinutes(1).Minute : now.Minute);
            await stop.CancelAsync();
            await Task.WhenAll(burst.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

            burst.Count(t => t.IsCompletedSuccessfully).ShouldBe(90); // (200 - 20) / 2
            burst.Where(t => t.IsFaulted).ShouldBeEmpty(); // nobody got a 429
            sim.Requests.Count("binance", "/api/v3/ticker/24hr").ShouldBe(90);
        }
        finally
        {
            sim.Options.Binance.RequestWeightPerMinute = 6000;
        }
    }

    [Fact]
    public async Task a_skewed_clock_is_resynchronized_from_server_time()
    {
        var client = Client("binance", time: new SkewedClock(TimeSpan.FromMinutes(-3)));
        (await client.GetBalancesAsync(Credentials("binance"))).ShouldContainKey("BTC");
        sim.Requests.Count("binance", "/api/v3/account").ShouldBe(2);
        sim.Requests.Count("binance", "/api/v3/time").ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_kraken_calls_with_one_key_are_never_refused_for_their_nonce()
    {
        var client = Client("kraken", new Dictionary<string, string?> { ["Exchanges:kraken:RateLimit"] = "20", ["Exchanges:kraken:RateDecayPerSecond"] = "0.5" });
        var demo = Credentials("kraken");
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => client.GetBalancesAsync(demo))));
        sim.Requests.Count("kraken", "/0/private/BalanceEx").ShouldBe(16);
    }

    [Fact]
    public async Task a_bnb_burn_change_whose_answer_is_lost_ends_in_the_asked_state()
    {
        sim.Faults.Add(new Fault(FaultKind.DropConnection) { Exchange = "binance", Path = "/sapi/v1/bnbBurn", Times = 1 });
        var client = (IBnbBurnAccount)Client("binance");
        var demo = Credentials("binance");
        (await client.SetSpotBnbBurnAsync(demo, false)).SpotBnbBurn.ShouldBeFalse();
        (await client.GetBnbBurnAsync(demo)).SpotBnbBurn.ShouldBeFalse();
        sim.Requests.Count("binance", "GET", "/sapi/v1/bnbBurn").ShouldBeGreaterThanOrEqualTo(2); // the read-back came first
    }

    private sealed class SkewedClock(TimeSpan skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + skew;
    }
}
