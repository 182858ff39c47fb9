using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges.Bitfinex;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>
/// Bitfinex v2 against a stub exchange and against the simulator. There are no recorded Bitfinex payloads in
/// /work/shared/exchanges/fixtures, so the parser tests use the documented positional shapes written out here.
/// </summary>
public class BitfinexClientTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture fixture;

    public BitfinexClientTests(SimulatorFixture fixture)
    {
        this.fixture = fixture;
        fixture.Sim.Reset();
    }

    private static readonly ExchangeApiCredentials Key = new("bitfinex-test-key-0123456789abcdefghijklmnop", "bitfinex-test-secret-0123456789abcdefghijkl");
    private static readonly Dictionary<string, string?> Prefixed = new() { ["Exchanges:bitfinex:BaseUrl"] = "https://bitfinex.test/prefix" };

    private RunningSimulator Sim => fixture.Sim;

    private static string Hex384(string secret, string text) =>
        Convert.ToHexStringLower(HMACSHA384.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    private IExchangeClient SimClient(IDictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?> { ["Exchanges:bitfinex:BaseUrl"] = Sim.BaseUrl("bitfinex") };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        return services.AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get("bitfinex");
    }

    private ExchangeApiCredentials SimKey(string account = "demo")
    {
        var a = Sim.Account("bitfinex", account);
        return new ExchangeApiCredentials(a.ApiKey, a.ApiSecret);
    }

    [Fact]
    public async Task a_signed_call_is_a_json_post_with_the_three_bfx_headers_and_a_hex_hmac_sha384_of_api_path_nonce_and_body()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        var stub = new StubExchange(_ => StubExchange.Json("""[["exchange","UST",5000,0,4800,null,null],["funding","USD",10,0,10,null,null]]"""));
        var balances = await TestClients.Client(stub, "bitfinex", time, Prefixed).GetBalancesAsync(Key);
        balances.Keys.ShouldBe(["USDT"]); // UST is Bitfinex's USDT; the funding wallet is not spot
        balances["USDT"].ShouldBe(new Balance("USDT", 4800m, 200m));

        var request = stub.Requests.Single();
        (request.Method, request.Path, request.Body).ShouldBe((HttpMethod.Post, "/prefix/v2/auth/r/wallets", "{}"));
        request.Headers["bfx-apikey"].ShouldBe(Key.ApiKey);
        var nonce = request.Headers["bfx-nonce"];
        nonce.ShouldBe((time.GetUtcNow().ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture)); // microseconds
        // hex(HMAC-SHA384(secret, "/api/" + "v2/auth/r/wallets" + nonce + body)): Bitfinex's own path, not our prefix.
        request.Headers["bfx-signature"].ShouldBe(Hex384(Key.ApiSecret, "/api/v2/auth/r/wallets" + nonce + "{}"));
    }

    [Fact]
    public async Task nonces_strictly_increase_per_key_even_when_the_clock_stands_still()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var stub = new StubExchange(_ => StubExchange.Json("[]"));
        var client = TestClients.Client(stub, "bitfinex", time);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetBalancesAsync(Key)));
        var nonces = stub.Requests.Select(r => long.Parse(r.Headers["bfx-nonce"], CultureInfo.InvariantCulture)).ToList();
        nonces.ShouldBe(nonces.Order().Distinct()); // sent one at a time, each above the last
        nonces.Count.ShouldBe(8);
    }

    [Fact]
    public async Task a_nonce_refused_as_too_small_is_signed_again_with_a_new_nonce_once()
    {
        var calls = 0;
        var stub = new StubExchange(_ => Interlocked.Increment(ref calls) == 1
            ? StubExchange.Json("""["error",10114,"nonce: small"]""", HttpStatusCode.InternalServerError)
            : StubExchange.Json("""[["account",1,0],["orders",1,1],["withdraw",0,0]]"""));
        (await TestClients.Client(stub, "bitfinex").GetKeyPermissionsAsync(Key)).Names.ShouldBe(["read", "trade"]);
        stub.Requests.Select(r => r.Headers["bfx-nonce"]).Distinct().Count().ShouldBe(2);

        var always = new StubExchange(_ => StubExchange.Json("""["error",10114,"nonce: small"]""", HttpStatusCode.InternalServerError));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(always, "bitfinex").GetKeyPermissionsAsync(Key));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.AuthError, "10114"));
        always.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_key_lacking_the_scope_is_permission_denied_and_no_error_repeats_the_key()
    {
        var stub = new StubExchange(c => StubExchange.Json($"""["error",10100,"apikey: invalid permission {c.Headers["bfx-apikey"]}"]""", HttpStatusCode.InternalServerError));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "bitfinex").GetBalancesAsync(Key));
        e.ErrorType.ShouldBe(ExchangeErrorType.PermissionDenied);
        e.ToString().ShouldNotContain(Key.ApiKey);
        e.ExchangeMessage!.ShouldNotContain(Key.ApiKey);
    }

    [Fact]
    public void the_documented_payloads_parse_into_unified_models()
    {
        BitfinexParsers.PlatformStatus("[1]").ShouldBe(ExchangeSystemStatus.Normal);
        BitfinexParsers.PlatformStatus("[0]").ShouldBe(ExchangeSystemStatus.Maintenance);

        var pairs = BitfinexParsers.ExchangePairs("""[["BTCUSD","BTCUST","DSHUSD","TESTBTC:TESTUSD","DOGE:UST"]]""");
        var info = BitfinexParsers.PairInfo("""[[["BTCUSD",[null,null,null,"0.00004","2000.0",null,null,null,"0.2","0.1",null,null]],["XYZUSD",[null,null,null,"1","10"]]]]""");
        var prices = BitfinexParsers.LastPrices("""[["tBTCUSD",91249,1,91251,2,-617,-0.0067,91250,27397,91868,91249],["fUSD",0.0002,0.0002,30,1000000,0.0001,2,500000,0.00001,0.05,0.0002,25000000,0.00025,0.0001,null,null,3000000],["tDOGE:UST",0.18309,1,0.18311,1,0,0,0.1831,10,0.19,0.17]]""");
        prices.Keys.ShouldBe(["tBTCUSD", "tDOGE:UST"], ignoreOrder: true);
        var markets = BitfinexParsers.Markets(pairs, info, prices, 0.001m, 0.002m);
        markets.Select(m => (m.Symbol, m.ExchangeSymbol)).ShouldBe([
            ("BTC/USD", "tBTCUSD"), ("BTC/USDT", "tBTCUST"), ("DASH/USD", "tDSHUSD"), ("TESTBTC/TESTUSD", "tTESTBTC:TESTUSD"), ("DOGE/USDT", "tDOGE:UST")]);
        var btc = markets[0];
        (btc.Active, btc.Maker, btc.Taker).ShouldBe((true, 0.001m, 0.002m));
        btc.Precision.ShouldBe(new MarketPrecision(0.00000001m, 1m)); // 5 significant digits at 91,250
        btc.Limits.ShouldBe(new MarketLimits(new MinMax(0.00004m, 2000m), MinMax.None, MinMax.None));
        markets[4].Precision.Price.ShouldBe(0.00001m); // 0.18310
        markets[1].Precision.Price.ShouldBeNull(); // no last price known, no step claimed
        BitfinexParsers.PriceStep(0.000012345m, 5).ShouldBe(0.00000001m); // Bitfinex keeps 8 decimals at most

        var ticker = BitfinexParsers.Ticker("[91249,12.5,91251,9.75,-617,-0.0067,91250,27397.26,91868,91249]", btc, DateTimeOffset.UnixEpoch);
        (ticker.Bid, ticker.Ask, ticker.Last, ticker.Open, ticker.High, ticker.Low).ShouldBe((91249m, 91251m, 91250m, 91867m, 91868m, 91249m));
        (ticker.BaseVolume, ticker.Change, ticker.ChangePercent, ticker.Timestamp).ShouldBe((27397.26m, -617m, -0.67m, DateTimeOffset.UnixEpoch));

        BitfinexParsers.Balances("""[["exchange","BTC",0.43,0,null,null,null],["margin","BTC",1,0,1,null,null]]""")["BTC"]
            .ShouldBe(new Balance("BTC", 0.43m, 0m)); // available not yet computed: all of it counts as free

        var trades = BitfinexParsers.Trades("""[[1400000123,"tBTCUST",1700000000123,120000000001,-0.01,91250,"EXCHANGE LIMIT",91250,-1,-1.825,"UST",null],[1400000124,"tTESTBTC:TESTUSD",1700000000124,null,0.5,10,"EXCHANGE MARKET",10,1,-0.0005,"TESTBTC",null]]""",
            id => id == "tBTCUST" ? markets[1] : null);
        trades[0].ShouldBe(new Trade("1400000123", "120000000001", "BTC/USDT", "tBTCUST", TradeSide.Sell, 91250m, 0.01m, 912.5m, 1.825m, "USDT",
            DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), TradeLiquidity.Taker));
        (trades[1].Symbol, trades[1].Side, trades[1].Liquidity, trades[1].OrderId, trades[1].FeeCurrency).ShouldBe(("TESTBTC/TESTUSD", TradeSide.Buy, TradeLiquidity.Maker, null, "TESTBTC"));

        BitfinexParsers.Permissions("""[["account",0,0],["history",1,0],["orders",1,1],["positions",1,0],["funding",1,1],["settings",1,1],["wallets",1,1],["withdraw",0,1]]""")
            .ShouldBe(new KeyPermissions(true, true, true));
        BitfinexParsers.Permissions("""[["account",0,0],["orders",0,0],["wallets",1,0],["withdraw",0,0]]""").ShouldBe(new KeyPermissions(true, false, false));
    }

    [Fact]
    public async Task trades_sharing_a_millisecond_at_page_boundaries_are_neither_lost_nor_repeated()
    {
        // Eleven trades, newest first; four of them in one millisecond, more than a page of three holds.
        long[] times = [1000, 1001, 1001, 1002, 1003, 1003, 1003, 1003, 1004, 1005, 1005];
        var history = times.Select((ms, i) => (Id: 500 + i, Ms: ms)).ToList();
        var asked = new List<(long End, int Limit)>();
        var stub = new StubExchange(c =>
        {
            if (!c.Path.StartsWith("/v2/auth/", StringComparison.Ordinal)) return PublicAnswer(c);
            using var body = JsonDocument.Parse(c.Body);
            var end = body.RootElement.GetProperty("end").GetInt64();
            var limit = body.RootElement.GetProperty("limit").GetInt32();
            body.RootElement.GetProperty("sort").GetInt32().ShouldBe(-1);
            lock (asked) asked.Add((end, limit));
            var page = history.Where(t => t.Ms <= end).OrderByDescending(t => t.Ms).ThenByDescending(t => t.Id).Take(limit)
                .Select(t => $"""[{t.Id},"tBTCUSD",{t.Ms},1,0.1,100,"EXCHANGE LIMIT",100,1,-0.01,"USD",null]""");
            return StubExchange.Json("[" + string.Join(",", page) + "]");
        });
        var client = TestClients.Client(stub, "bitfinex", new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(2000)));
        var pages = await client.GetMyTradesAsync(Key, new MyTradesQuery("BTC/USD", PageSize: 3)).ToListAsync();
        var ids = pages.SelectMany(p => p.Trades).Select(t => int.Parse(t.Id, CultureInfo.InvariantCulture)).ToList();
        ids.Order().ShouldBe(history.Select(t => t.Id)); // every trade exactly once
        pages.ShouldAllBe(p => p.Trades.Select(t => t.Timestamp).SequenceEqual(p.Trades.Select(t => t.Timestamp).Order()));
        pages.Last().NextCursor.ShouldBeNull();
        asked.ShouldContain((1003L, MaxPage)); // stuck inside the 4-trade millisecond, it asked a larger page once
        stub.To("/v2/auth/r/trades/tBTCUSD/hist").Count.ShouldBe(asked.Count);

        // A cursor resumes exactly after the page it came from.
        var resumed = await client.GetMyTradesAsync(Key, new MyTradesQuery("BTC/USD", PageSize: 3, Cursor: pages[0].NextCursor)).ToListAsync();
        resumed.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(1).SelectMany(p => p.Trades).Select(t => t.Id));
        (await Should.ThrowAsync<ExchangeException>(async () => await client.GetMyTradesAsync(Key, new MyTradesQuery(Cursor: "ofs:1")).ToListAsync()))
            .ExchangeCode.ShouldBe("invalid_cursor");
        (await Should.ThrowAsync<ExchangeException>(async () => await client.GetMyTradesAsync(Key, new MyTradesQuery(FromTradeId: "1")).ToListAsync()))
            .ExchangeCode.ShouldBe("unsupported_from_id");
    }

    private const int MaxPage = BitfinexClient.MaxTradesPerPage;

    private static HttpResponseMessage PublicAnswer(Captured c) => c.Path switch
    {
        "/v2/conf/pub:list:pair:exchange" => StubExchange.Json("""[["BTCUSD"]]"""),
        "/v2/conf/pub:info:pair" => StubExchange.Json("""[[["BTCUSD",[null,null,null,"0.00004","2000.0"]]]]"""),
        "/v2/tickers" => StubExchange.Json("""[["tBTCUSD",1,1,1,1,0,0,100,1,1,1]]"""),
        _ => StubExchange.Json("""["error",10020,"method: invalid"]""", HttpStatusCode.NotFound),
    };

    [Fact]
    public async Task server_time_is_the_date_header_of_platform_status()
    {
        var date = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var stub = new StubExchange(_ =>
        {
            var r = StubExchange.Json("[0]");
            r.Headers.Date = date;
            return r;
        });
        var client = TestClients.Client(stub, "bitfinex");
        (await client.GetServerTimeAsync()).ShouldBe(date);
        var health = await client.GetHealthAsync();
        (health.Status, health.ServerTime).ShouldBe((ExchangeSystemStatus.Maintenance, date));
        stub.Requests.ShouldAllBe(r => r.Path == "/v2/platform/status");

        var noDate = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(new StubExchange(_ => StubExchange.Json("[1]")), "bitfinex").GetServerTimeAsync());
        noDate.ErrorType.ShouldBe(ExchangeErrorType.MalformedResponse);
    }

    [Fact]
    public async Task against_the_simulator_markets_map_bitfinex_codes_and_tickers_resolve_any_spelling()
    {
        var client = SimClient();
        var markets = await client.GetMarketsAsync();
        markets.Single(m => m.ExchangeSymbol == "tBTCUST").Symbol.ShouldBe("BTC/USDT");
        markets.Single(m => m.ExchangeSymbol == "tDSHUSD").Symbol.ShouldBe("DASH/USD");
        markets.Single(m => m.ExchangeSymbol == "tTESTBTC:TESTUSD").Symbol.ShouldBe("TESTBTC/TESTUSD");
        markets.ShouldNotContain(m => m.Base == "UST" || m.Quote == "UST");
        markets.Single(m => m.Symbol == "BTC/USD").Precision.Price.ShouldBe(1m);
        foreach (var spelling in new[] { "BTC/USDT", "btc-usdt", "tBTCUST", "BTCUST", "BTCUSDT" })
            (await client.GetTickerAsync(spelling)).ExchangeSymbol.ShouldBe("tBTCUST");
        (await client.GetTickerAsync("TESTBTC:TESTUSD")).Last.ShouldBe(91250m);
        var unknown = await Should.ThrowAsync<ExchangeException>(() => client.GetTickerAsync("NOPE/USD"));
        (unknown.ErrorType, unknown.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "unknown_symbol"));
        Sim.Requests.Count("bitfinex", "/v2/conf/pub:info:pair").ShouldBe(1); // markets are cached
    }

    [Fact]
    public async Task against_the_simulator_trades_page_back_to_the_end_of_history_and_resume_from_a_cursor()
    {
        var client = SimClient();
        var pages = await client.GetMyTradesAsync(SimKey(), new MyTradesQuery(PageSize: 40)).ToListAsync();
        var trades = pages.SelectMany(p => p.Trades).ToList();
        trades.Count.ShouldBe(275); // the demo account's whole history, with pairs of fills sharing a millisecond
        trades.Select(t => t.Id).Distinct().Count().ShouldBe(275);
        pages.Last().NextCursor.ShouldBeNull();
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.NextCursor != null);
        trades.ShouldAllBe(t => t.Fee > 0 && t.FeeCurrency != null && t.Liquidity != null && t.Cost == t.Price * t.Amount);
        trades.Select(t => t.Symbol).ShouldContain("BTC/USDT");

        var rest = await client.GetMyTradesAsync(SimKey(), new MyTradesQuery(PageSize: 40, Cursor: pages[2].NextCursor)).ToListAsync();
        rest.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(3).SelectMany(p => p.Trades).Select(t => t.Id));

        var since = Sim.Options.DataEpoch.AddDays(-10);
        var btc = (await client.GetMyTradesAsync(SimKey(), new MyTradesQuery("BTC/USDT", since)).ToListAsync()).SelectMany(p => p.Trades).ToList();
        btc.ShouldNotBeEmpty();
        btc.Select(t => t.Id).ShouldBe(trades.Where(t => t.Symbol == "BTC/USDT" && t.Timestamp >= since).Select(t => t.Id), ignoreOrder: true);
        Sim.Requests.Count("bitfinex", "/v2/auth/r/trades/tBTCUST/hist").ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task against_the_simulator_the_load_account_pages_through_its_long_history()
    {
        var pages = await SimClient().GetMyTradesAsync(SimKey("load"), new MyTradesQuery(PageSize: 1000)).ToListAsync();
        pages.Sum(p => p.Trades.Count).ShouldBe(5000);
        pages.SelectMany(p => p.Trades).Select(t => t.Id).Distinct().Count().ShouldBe(5000);
    }

    [Fact]
    public async Task against_the_simulator_concurrent_calls_with_one_key_are_never_refused_for_their_nonce()
    {
        var client = SimClient();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => client.GetBalancesAsync(SimKey()))));
        Sim.Requests.Count("bitfinex", "/v2/auth/r/wallets").ShouldBe(12);
    }

    [Fact]
    public async Task against_the_simulator_maintenance_shows_in_health_with_the_servers_clock_still_known()
    {
        Sim.Faults.Add(new Fault(FaultKind.Maintenance) { Exchange = "bitfinex" });
        try
        {
            var health = await SimClient().GetHealthAsync();
            health.Status.ShouldBe(ExchangeSystemStatus.Maintenance);
            (health.ServerTime!.Value - DateTimeOffset.UtcNow).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));
            var e = await Should.ThrowAsync<ExchangeException>(() => SimClient().GetBalancesAsync(SimKey()));
            (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.ExchangeUnavailable, "20060"));
        }
        finally
        {
            Sim.Faults.Clear();
        }
    }

    [Fact]
    public async Task against_the_simulator_the_per_minute_limit_answers_err_rate_limit_and_the_client_holds_back_the_key()
    {
        var limit = Sim.Options.Bitfinex.PrivateRequestsPerMinute;
        Sim.Options.Bitfinex.PrivateRequestsPerMinute = 2;
        try
        {
            var key = SimKey("readonly");
            var client = SimClient(new Dictionary<string, string?> { ["Exchanges:bitfinex:RateLimit"] = "100", ["Exchanges:bitfinex:MaxRetryAfterSeconds"] = "0.001" });
            for (var i = 0; i < 2; i++) await client.GetKeyPermissionsAsync(key);
            // A third call in the same minute (unless the minute just turned) is refused as Bitfinex does.
            var e = await Should.ThrowAsync<ExchangeException>(async () => { for (var i = 0; i < 3; i++) await client.GetKeyPermissionsAsync(key); });
            (e.ErrorType, e.ExchangeCode, e.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, BitfinexErrors.RateLimitCode, TimeSpan.FromSeconds(60)));
            // The key is held back from now on: the next call waits instead of sending.
            var before = Sim.Requests.Count("bitfinex", "/v2/auth/r/permissions");
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Should.ThrowAsync<OperationCanceledException>(() => client.GetKeyPermissionsAsync(key, cts.Token));
            Sim.Requests.Count("bitfinex", "/v2/auth/r/permissions").ShouldBe(before);
        }
        finally
        {
            Sim.Options.Bitfinex.PrivateRequestsPerMinute = limit;
        }
    }
}
