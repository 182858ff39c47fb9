using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bitcain.Exchanges.Binance;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class BinanceClientTests
{
    private static readonly string ExchangeInfo = Fixture.Text("raw/binance.exchangeInfo.BTCUSDT-permissionSets.go-binance-test.json");
    private const string Account = """{"canTrade":true,"canWithdraw":false,"balances":[{"asset":"BTC","free":"1.5","locked":"0.5"}]}""";

    private static HttpResponseMessage Ok(string json) => StubExchange.Json(json);

    private static long Timestamp(Captured c) => long.Parse(c.Method == HttpMethod.Get ? c.Query["timestamp"] : c.BodyForm["timestamp"], CultureInfo.InvariantCulture);

    [Fact]
    public async Task a_signed_get_keeps_the_base_url_prefix_and_signs_the_query_it_sends()
    {
        var stub = new StubExchange(_ => Ok(Account));
        var client = TestClients.Client(stub, "binance");

        var balances = await client.GetBalancesAsync(TestClients.Binance);

        balances["BTC"].ShouldBe(new Balance("BTC", 1.5m, 0.5m));
        var request = stub.Requests.Single();
        request.Uri.GetLeftPart(UriPartial.Path).ShouldBe("http://sim.test/binance/api/v3/account");
        request.Headers["X-MBX-APIKEY"].ShouldBe(TestClients.Binance.ApiKey);
        request.Query["recvWindow"].ShouldBe("5000");
        request.Query.ShouldContainKey("timestamp");
        var unsigned = request.QueryString[..request.QueryString.IndexOf("&signature=", StringComparison.Ordinal)];
        request.Query["signature"].ShouldBe(BinanceSigner.Sign(TestClients.Binance.ApiSecret, unsigned));
    }

    [Fact]
    public async Task a_base_url_ending_in_a_slash_is_joined_without_doubling_it()
    {
        var stub = new StubExchange(_ => Ok("""{"serverTime":1499827319559}"""));
        var client = TestClients.Client(stub, "binance_us");
        (await client.GetServerTimeAsync()).ToUnixTimeMilliseconds().ShouldBe(1499827319559);
        stub.Requests.Single().Uri.ToString().ShouldBe("http://sim.test/binanceus/api/v3/time");
        stub.Requests.Single().Headers.ShouldNotContainKey("X-MBX-APIKEY");
    }

    [Fact]
    public async Task a_signed_post_sends_its_parameters_in_a_signed_form_body()
    {
        var stub = new StubExchange(_ => Ok("""{"spotBNBBurn":true,"interestBNBBurn":false}"""));
        var client = (IBnbBurnAccount)TestClients.Client(stub, "binance");

        (await client.SetSpotBnbBurnAsync(TestClients.Binance, true)).ShouldBe(new BnbBurnSettings(true, false));

        var request = stub.Requests.Single();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Path.ShouldBe("/binance/sapi/v1/bnbBurn");
        request.BodyForm["spotBNBBurn"].ShouldBe("true");
        var unsigned = request.Body[..request.Body.IndexOf("&signature=", StringComparison.Ordinal)];
        request.BodyForm["signature"].ShouldBe(BinanceSigner.Sign(TestClients.Binance.ApiSecret, "", unsigned));
    }

    [Fact]
    public async Task clock_skew_resynchronizes_with_server_time_and_retries_once_with_a_fresh_signature()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var server = time.GetUtcNow() + TimeSpan.FromSeconds(90);
        var stub = new StubExchange(c => c.Path.EndsWith("/api/v3/time")
            ? Ok($$"""{"serverTime":{{server.ToUnixTimeMilliseconds()}}}""")
            : Timestamp(c) < server.ToUnixTimeMilliseconds() - 5000
                ? StubExchange.Json("""{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}""", HttpStatusCode.BadRequest)
                : Ok(Account));
        var client = TestClients.Client(stub, "binance", time);

        (await client.GetBalancesAsync(TestClients.Binance))["BTC"].Free.ShouldBe(1.5m);

        var attempts = stub.To("/api/v3/account");
        attempts.Count.ShouldBe(2);
        ((double)Timestamp(attempts[1])).ShouldBe(server.ToUnixTimeMilliseconds(), 1000d);
        attempts[1].Query["signature"].ShouldNotBe(attempts[0].Query["signature"]);
    }

    [Fact]
    public async Task clock_skew_that_persists_after_one_resync_is_an_error_not_a_loop()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("/api/v3/time")
            ? Ok("""{"serverTime":1499827319559}""")
            : StubExchange.Json("""{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}""", HttpStatusCode.BadRequest));
        var client = TestClients.Client(stub, "binance");
        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(TestClients.Binance));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "-1021"));
        stub.To("/api/v3/account").Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_short_retry_after_is_waited_out_and_the_request_re_signed()
    {
        var calls = 0;
        var stub = new StubExchange(_ => Interlocked.Increment(ref calls) == 1
            ? StubExchange.Json("""{"code":-1003,"msg":"Too many requests."}""", HttpStatusCode.TooManyRequests, ("Retry-After", "1"))
            : Ok(Account));
        var client = TestClients.Client(stub, "binance");
        var watch = Stopwatch.StartNew();

        await client.GetBalancesAsync(TestClients.Binance);

        watch.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
        var attempts = stub.To("/api/v3/account");
        attempts.Count.ShouldBe(2);
        attempts[1].Query["signature"].ShouldNotBe(attempts[0].Query["signature"]);
    }

    [Fact]
    public async Task a_long_retry_after_is_returned_to_the_caller_with_the_wait()
    {
        var stub = new StubExchange(_ =>
            StubExchange.Json("""{"code":-1003,"msg":"Too many requests."}""", HttpStatusCode.TooManyRequests, ("Retry-After", "120")));
        var client = TestClients.Client(stub, "binance");
        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(TestClients.Binance));
        (e.ErrorType, e.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, TimeSpan.FromSeconds(120)));
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task the_used_weight_header_holds_back_the_next_request_until_the_minute_turns()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 1, TimeSpan.Zero));
        var stub = new StubExchange(_ => StubExchange.Json(Account, HttpStatusCode.OK, ("X-MBX-USED-WEIGHT-1M", "5990")));
        var client = TestClients.Client(stub, "binance", time);

        await client.GetBalancesAsync(TestClients.Binance);
        var second = client.GetBalancesAsync(TestClients.Binance);
        await Task.Delay(200);
        stub.Requests.Count.ShouldBe(1);
        second.IsCompleted.ShouldBeFalse();

        time.Advance(TimeSpan.FromSeconds(59));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task sapi_weight_is_a_separate_budget_from_api_weight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 1, TimeSpan.Zero));
        var stub = new StubExchange(c => c.Path.Contains("/sapi/")
            ? StubExchange.Json("""{"spotBNBBurn":true,"interestBNBBurn":false}""", HttpStatusCode.OK, ("X-SAPI-USED-IP-WEIGHT-1M", "12000"))
            : Ok(Account));
        var client = TestClients.Client(stub, "binance", time);
        var burn = (IBnbBurnAccount)client;

        await burn.GetBnbBurnAsync(TestClients.Binance);
        var heldBack = burn.GetBnbBurnAsync(TestClients.Binance);
        await client.GetBalancesAsync(TestClients.Binance).WaitAsync(TimeSpan.FromSeconds(5)); // /api still has its budget
        await Task.Delay(100);
        heldBack.IsCompleted.ShouldBeFalse();
        stub.To("/sapi/v1/bnbBurn").Count.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(59));
        await heldBack.WaitAsync(TimeSpan.FromSeconds(5));
        stub.To("/sapi/v1/bnbBurn").Count.ShouldBe(2);
    }

    [Fact]
    public async Task setting_bnb_burn_after_a_timeout_reads_the_setting_back_instead_of_resending()
    {
        var stub = new StubExchange(async c =>
        {
            if (c.Method == HttpMethod.Post) await Task.Delay(TimeSpan.FromSeconds(5));
            return Ok("""{"spotBNBBurn":true,"interestBNBBurn":false}""");
        });
        var client = (IBnbBurnAccount)TestClients.Client(stub, "binance", config: new Dictionary<string, string?> { ["Exchanges:binance:TimeoutSeconds"] = "0.3" });

        (await client.SetSpotBnbBurnAsync(TestClients.Binance, true)).SpotBnbBurn.ShouldBeTrue();

        stub.Requests.Count(r => r.Method == HttpMethod.Post).ShouldBe(1);
        stub.Requests.Count(r => r.Method == HttpMethod.Get).ShouldBe(1);
    }

    [Fact]
    public async Task setting_bnb_burn_after_a_timeout_that_did_not_apply_sends_it_again_re_signed()
    {
        var posts = 0;
        var stub = new StubExchange(async c =>
        {
            if (c.Method == HttpMethod.Post && Interlocked.Increment(ref posts) == 1) await Task.Delay(TimeSpan.FromSeconds(5));
            return Ok(c.Method == HttpMethod.Post ? """{"spotBNBBurn":true,"interestBNBBurn":false}""" : """{"spotBNBBurn":false,"interestBNBBurn":false}""");
        });
        var client = (IBnbBurnAccount)TestClients.Client(stub, "binance", config: new Dictionary<string, string?> { ["Exchanges:binance:TimeoutSeconds"] = "0.3" });

        (await client.SetSpotBnbBurnAsync(TestClients.Binance, true)).SpotBnbBurn.ShouldBeTrue();

        var sent = stub.Requests.Where(r => r.Method == HttpMethod.Post).ToList();
        sent.Count.ShouldBe(2);
        sent[1].BodyForm["signature"].ShouldNotBe(sent[0].BodyForm["signature"]);
    }

    [Fact]
    public async Task my_trades_follow_from_id_to_the_last_page()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("exchangeInfo") ? Ok(ExchangeInfo) : Ok(TradesJson(TradeStore(2500), c)));
        var client = TestClients.Client(stub, "binance");

        var pages = await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTC/USDT", PageSize: 1000)).ToListAsync();

        pages.Select(p => p.Trades.Count).ShouldBe([1000, 1000, 500]);
        pages.Last().NextCursor.ShouldBeNull();
        pages.SelectMany(p => p.Trades).Select(t => long.Parse(t.Id, CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(1, 2500).Select(i => (long)i));
        pages.SelectMany(p => p.Trades).ShouldAllBe(t => t.Symbol == "BTC/USDT");
        stub.To("/api/v3/myTrades").Select(r => r.Query["fromId"]).ShouldBe(["0", "1001", "2001"]);
    }

    [Fact]
    public async Task a_cursor_from_an_interrupted_run_resumes_where_it_stopped()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("exchangeInfo") ? Ok(ExchangeInfo) : Ok(TradesJson(TradeStore(250), c)));
        var client = TestClients.Client(stub, "binance");
        var first = await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTC/USDT", PageSize: 100)).FirstAsync();

        var rest = await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTC/USDT", PageSize: 100, Cursor: first.NextCursor)).ToListAsync();

        first.Trades.Concat(rest.SelectMany(p => p.Trades)).Select(t => t.Id).ShouldBe(Enumerable.Range(1, 250).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        (await Should.ThrowAsync<ExchangeException>(async () =>
            await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTC/USDT", Cursor: "ofs:50:end:1")).ToListAsync()))
            .ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
        (await Should.ThrowAsync<ExchangeException>(async () =>
            await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTC/USDT", FromTradeId: "T123")).ToListAsync()))
            .ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
    }

    [Fact]
    public async Task a_since_with_no_trades_at_all_ends_with_one_empty_last_page()
    {
        var since = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var stub = new StubExchange(c => c.Path.EndsWith("exchangeInfo") ? Ok(ExchangeInfo) : Ok("[]"));
        var client = TestClients.Client(stub, "binance", new FakeTimeProvider(since + TimeSpan.FromDays(2.5)));
        var pages = await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTCUSDT", since)).ToListAsync();
        pages.ShouldHaveSingleItem().ShouldBe(new TradePage([], null), new TradePageComparer());
        stub.To("/api/v3/myTrades").Count.ShouldBe(3);
    }

    [Fact]
    public async Task concurrent_callers_share_one_market_list_fetch()
    {
        var ticker = Fixture.Json("ccxt/binance.response.fetchTicker+fetchTrades.spot.json").GetProperty("methods").GetProperty("fetchTicker")[0].GetProperty("httpResponse");
        var stub = new StubExchange(async c =>
        {
            if (!c.Path.EndsWith("exchangeInfo")) return Ok(ticker.GetRawText());
            await Task.Delay(200);
            return Ok(ExchangeInfo);
        });
        var client = TestClients.Client(stub, "binance");
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetTickerAsync("BTC/USDT")));
        stub.To("/api/v3/exchangeInfo").Count.ShouldBe(1);
        stub.To("/api/v3/ticker/24hr").Count.ShouldBe(10);
    }

    private sealed class TradePageComparer : IEqualityComparer<TradePage>
    {
        public bool Equals(TradePage? x, TradePage? y) => x!.NextCursor == y!.NextCursor && x.Trades.SequenceEqual(y.Trades);
        public int GetHashCode(TradePage obj) => 0;
    }

    [Fact]
    public async Task my_trades_since_a_date_walk_24_hour_windows_to_the_first_trade_then_follow_ids()
    {
        var since = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(since + TimeSpan.FromDays(10));
        var store = TradeStore(30, since + TimeSpan.FromDays(3));
        var stub = new StubExchange(c => c.Path.EndsWith("exchangeInfo") ? Ok(ExchangeInfo) : Ok(TradesJson(store, c)));
        var client = TestClients.Client(stub, "binance", time);

        var trades = (await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTCUSDT", since, PageSize: 10)).ToListAsync())
            .SelectMany(p => p.Trades).ToList();

        trades.Select(t => t.Id).ShouldBe(store.Select(t => t.Id.ToString(CultureInfo.InvariantCulture)));
        var calls = stub.To("/api/v3/myTrades");
        calls.Take(4).ShouldAllBe(r => r.Query.ContainsKey("startTime") && long.Parse(r.Query["endTime"], CultureInfo.InvariantCulture) - long.Parse(r.Query["startTime"], CultureInfo.InvariantCulture) < 86_400_000);
        calls.Skip(4).ShouldAllBe(r => r.Query.ContainsKey("fromId") && !r.Query.ContainsKey("startTime"));
    }

    [Fact]
    public async Task my_trades_without_a_symbol_is_refused_because_binance_needs_one()
    {
        var stub = new StubExchange(_ => Ok(ExchangeInfo));
        var client = TestClients.Client(stub, "binance");
        var e = await Should.ThrowAsync<ExchangeException>(async () => await client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery()).ToListAsync());
        e.ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
        stub.To("/api/v3/myTrades").ShouldBeEmpty();
    }

    [Fact]
    public async Task an_unknown_symbol_is_an_invalid_request_before_any_ticker_call()
    {
        var stub = new StubExchange(_ => Ok(ExchangeInfo));
        var client = TestClients.Client(stub, "binance");
        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetTickerAsync("NOPE/USDT"));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "unknown_symbol"));
        stub.To("/ticker/24hr").ShouldBeEmpty();
    }

    [Fact]
    public async Task ticker_resolves_any_spelling_and_asks_for_the_exchange_symbol()
    {
        var ticker = Fixture.Json("ccxt/binance.response.fetchTicker+fetchTrades.spot.json").GetProperty("methods").GetProperty("fetchTicker")[0].GetProperty("httpResponse");
        var stub = new StubExchange(c => c.Path.EndsWith("exchangeInfo") ? Ok(ExchangeInfo) : Ok(ticker.GetRawText()));
        var client = TestClients.Client(stub, "binance");
        (await client.GetTickerAsync("btc-usdt")).Symbol.ShouldBe("BTC/USDT");
        (await client.GetTickerAsync("BTCUSDT")).Last.ShouldBe(73369.84m);
        stub.To("/ticker/24hr").ShouldAllBe(r => r.Query["symbol"] == "BTCUSDT");
        stub.To("/exchangeInfo").Count.ShouldBe(1); // markets are cached
    }

    [Fact]
    public async Task health_reports_maintenance_from_the_system_status()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("/api/v3/time") ? Ok("""{"serverTime":1499827319559}""") : Ok("""{"status":1,"msg":"system maintenance"}"""));
        var health = await TestClients.Client(stub, "binance").GetHealthAsync();
        (health.Status, health.Message).ShouldBe((ExchangeSystemStatus.Maintenance, "system maintenance"));
        health.ServerTime!.Value.ToUnixTimeMilliseconds().ShouldBe(1499827319559);
    }

    [Fact]
    public async Task a_malformed_answer_is_an_exchange_error()
    {
        var stub = new StubExchange(_ => Ok("""{"balances":[{"asset":"BTC","fr"""));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "binance").GetBalancesAsync(TestClients.Binance));
        e.ErrorType.ShouldBe(ExchangeErrorType.MalformedResponse);
    }

    [Fact]
    public async Task binance_us_reads_key_permissions_and_dust_from_its_own_endpoints()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("/api/v3/account")
            ? Ok("""{"canTrade":false,"canWithdraw":false,"balances":[]}""")
            : Ok("""{"convertibleAssets":[{"fromAsset":"ADA","availableBalance":"0.5","receivedAsset":"0.0012"}]}"""));
        var client = TestClients.Client(stub, "binanceus");
        (await client.GetKeyPermissionsAsync(TestClients.Binance)).Names.ShouldBe(["read"]);
        (await ((IDustAssetsAccount)client).GetDustAssetsAsync(TestClients.Binance)).Assets.Single().Asset.ShouldBe("ADA");
        stub.Requests.Select(r => r.Path).ShouldBe(["/binanceus/api/v3/account", "/binanceus/sapi/v1/asset/query/dust-assets"]);
        stub.Requests[1].Query["toAsset"].ShouldBe("BNB");
    }

    [Fact]
    public async Task binance_reads_key_permissions_from_api_restrictions_and_dust_from_dust_btc()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("apiRestrictions")
            ? Ok("""{"enableReading":true,"enableSpotAndMarginTrading":true,"enableWithdrawals":false}""")
            : Ok("""{"details":[{"asset":"ADA","amountFree":"6.21","toBTC":"0.00016848","toBNB":"0.01777302"}],"totalTransferBtc":"0.00016848","totalTransferBNB":"0.01777302"}"""));
        var client = TestClients.Client(stub, "binance");
        (await client.GetKeyPermissionsAsync(TestClients.Binance)).Names.ShouldBe(["read", "trade"]);
        (await ((IDustAssetsAccount)client).GetDustAssetsAsync(TestClients.Binance)).TotalToBnb.ShouldBe(0.01777302m);
        stub.Requests.Select(r => (r.Method.Method, r.Path)).ShouldBe([("GET", "/binance/sapi/v1/account/apiRestrictions"), ("POST", "/binance/sapi/v1/asset/dust-btc")]);
    }

    [Fact]
    public async Task a_rejected_key_that_works_for_reading_is_a_missing_permission()
    {
        var stub = new StubExchange(c => c.Path.EndsWith("apiRestrictions")
            ? Ok("""{"enableReading":true,"enableSpotAndMarginTrading":false,"enableWithdrawals":false}""")
            : StubExchange.Json("""{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""", HttpStatusCode.Unauthorized));
        var client = (IBnbBurnAccount)TestClients.Client(stub, "binance");
        var e = await Should.ThrowAsync<ExchangeException>(() => client.SetSpotBnbBurnAsync(TestClients.Binance, false));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.PermissionDenied, "-2015"));
    }

    [Fact]
    public async Task a_rejected_key_that_cannot_read_either_is_an_auth_error()
    {
        var stub = new StubExchange(_ => StubExchange.Json("""{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}""", HttpStatusCode.Unauthorized));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "binance").GetBalancesAsync(TestClients.Binance));
        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        stub.Requests.Select(r => r.Path).ShouldBe(["/binance/api/v3/account", "/binance/sapi/v1/account/apiRestrictions"]);
    }

    internal sealed record StoredTrade(long Id, DateTimeOffset Time);

    internal static List<StoredTrade> TradeStore(int count, DateTimeOffset? first = null) =>
        Enumerable.Range(1, count).Select(i => new StoredTrade(i, (first ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) + TimeSpan.FromMinutes(i))).ToList();

    /// <summary>What /api/v3/myTrades answers: by fromId, else by the time window, oldest first, at most limit.</summary>
    internal static string TradesJson(List<StoredTrade> store, Captured c)
    {
        var q = c.Query;
        var limit = int.Parse(q["limit"], CultureInfo.InvariantCulture);
        IEnumerable<StoredTrade> hits = q.TryGetValue("fromId", out var from)
            ? store.Where(t => t.Id >= long.Parse(from, CultureInfo.InvariantCulture))
            : store.Where(t => t.Time.ToUnixTimeMilliseconds() >= long.Parse(q["startTime"], CultureInfo.InvariantCulture)
                               && t.Time.ToUnixTimeMilliseconds() <= long.Parse(q["endTime"], CultureInfo.InvariantCulture));
        return JsonSerializer.Serialize(hits.Take(limit).Select(t => new
        {
            symbol = "BTCUSDT", id = t.Id, orderId = t.Id * 10, orderListId = -1, price = "100.5", qty = "0.1", quoteQty = "10.05",
            commission = "0.0001", commissionAsset = "BNB", time = t.Time.ToUnixTimeMilliseconds(), isBuyer = t.Id % 2 == 0, isMaker = true, isBestMatch = true,
        }));
    }
}
