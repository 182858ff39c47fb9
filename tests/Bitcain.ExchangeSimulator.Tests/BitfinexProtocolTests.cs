using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class BitfinexProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static long lastNonce = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Bitfinex => Sim.BaseUrl("bitfinex");
    private SimulatedAccount Demo => Sim.Account("bitfinex", "demo");

    private static long NextNonce() => Interlocked.Increment(ref lastNonce);

    /// <summary>Bitfinex's REST auth, written out: hex(HMAC-SHA384(secret, "/api/" + "v2/..." + nonce + body)).</summary>
    private HttpRequestMessage Signed(string path, string body, SimulatedAccount account, long? nonce = null, string? secret = null)
    {
        var n = (nonce ?? NextNonce()).ToString(CultureInfo.InvariantCulture);
        using var hmac = new HMACSHA384(Encoding.UTF8.GetBytes(secret ?? account.ApiSecret));
        var request = new HttpRequestMessage(HttpMethod.Post, Bitfinex + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("bfx-nonce", n);
        request.Headers.Add("bfx-apikey", account.ApiKey);
        request.Headers.Add("bfx-signature", Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("/api" + path + n + body))));
        return request;
    }

    private static JsonElement Ok((int Status, JsonElement Body) answer)
    {
        answer.Status.ShouldBe(200, answer.Body.ToString());
        answer.Body.ValueKind.ShouldBe(JsonValueKind.Array);
        return answer.Body;
    }

    private static void ShouldBeBitfinexError((int Status, JsonElement Body) answer, int status, int code, string message)
    {
        answer.Status.ShouldBe(status, answer.Body.ToString());
        (answer.Body[0].GetString(), answer.Body[1].GetInt32(), answer.Body[2].GetString()).ShouldBe(("error", code, message));
    }

    [Fact]
    public async Task public_status_pairs_info_and_tickers_are_positional_arrays()
    {
        using (var status = await Http.GetAsync(Bitfinex + "/v2/platform/status"))
        {
            (await status.Content.ReadAsStringAsync()).ShouldBe("[1]");
            // No time endpoint on Bitfinex: the Date header is the clock a client can read.
            (status.Headers.Date!.Value - DateTimeOffset.UtcNow).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));
        }
        var pairs = Ok(await Http.GetJsonAsync(Bitfinex + "/v2/conf/pub:list:pair:exchange"))[0].EnumerateArray().Select(p => p.GetString()!).ToList();
        pairs.ShouldContain("BTCUSD");
        pairs.ShouldContain("BTCUST"); // USDT is UST on Bitfinex
        pairs.ShouldContain("DSHUSD");
        pairs.ShouldContain("DOGE:UST"); // a code longer than three letters makes a colon
        pairs.ShouldContain("TESTBTC:TESTUSD");
        pairs.ShouldAllBe(p => p.Length == 6 || p.Contains(':'));

        var info = Ok(await Http.GetJsonAsync(Bitfinex + "/v2/conf/pub:info:pair"))[0];
        var btc = info.EnumerateArray().Single(l => l[0].GetString() == "BTCUSD")[1];
        decimal.Parse(btc[3].GetString()!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0m);
        decimal.Parse(btc[4].GetString()!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(decimal.Parse(btc[3].GetString()!, CultureInfo.InvariantCulture));
        info.GetArrayLength().ShouldBeGreaterThan(pairs.Count); // some pairs are not on the exchange wallet's list

        var ticker = Ok(await Http.GetJsonAsync(Bitfinex + "/v2/ticker/tBTCUST"));
        ticker.GetArrayLength().ShouldBe(10);
        ticker[0].GetDecimal().ShouldBeLessThan(ticker[2].GetDecimal()); // bid < ask
        ticker[6].GetDecimal().ShouldBe(91250m);
        ShouldBeBitfinexError(await Http.GetJsonAsync(Bitfinex + "/v2/ticker/tNOPEUSD"), 500, 10020, "symbol: invalid");

        var tickers = Ok(await Http.GetJsonAsync(Bitfinex + "/v2/tickers?symbols=ALL"));
        tickers.EnumerateArray().Count(t => t[0].GetString()!.StartsWith('t')).ShouldBe(info.GetArrayLength());
        tickers.EnumerateArray().Single(t => t[0].GetString() == "fUSD").GetArrayLength().ShouldBe(17);
        Ok(await Http.GetJsonAsync(Bitfinex + "/v2/tickers?symbols=tBTCUSD")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task an_authenticated_call_checks_the_key_the_signature_and_the_nonce()
    {
        var wallets = Ok(await Http.JsonAsync(Signed("/v2/auth/r/wallets", "{}", Demo)));
        wallets.EnumerateArray().Select(w => w[0].GetString()).Distinct().ShouldBe(["exchange", "margin", "funding"], ignoreOrder: true);
        var btc = wallets.EnumerateArray().Single(w => w[0].GetString() == "exchange" && w[1].GetString() == "BTC");
        (btc[2].GetDecimal(), btc[4].GetDecimal()).ShouldBe((0.43m, 0.4m));

        ShouldBeBitfinexError(await Http.JsonAsync(Signed("/v2/auth/r/wallets", "{}", Demo with { ApiKey = "nobody" })), 500, 10100, "apikey: invalid");
        ShouldBeBitfinexError(await Http.JsonAsync(Signed("/v2/auth/r/wallets", "{}", Demo, secret: "wrong")), 500, 10100, "apikey: digest invalid");
        // The signature covers the body.
        var tampered = Signed("/v2/auth/r/trades/hist", """{"limit":5}""", Demo);
        tampered.Content = new StringContent("""{"limit":6}""", Encoding.UTF8, "application/json");
        ShouldBeBitfinexError(await Http.JsonAsync(tampered), 500, 10100, "apikey: digest invalid");

        var nonce = Interlocked.Add(ref lastNonce, 2) - 1; // nonce and nonce + 1 are this test's alone
        Ok(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Demo, nonce)));
        ShouldBeBitfinexError(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Demo, nonce)), 500, 10114, "nonce: small"); // not again
        ShouldBeBitfinexError(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Demo, nonce - 1)), 500, 10114, "nonce: small");
        Ok(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Demo, nonce + 1)));
        // Nonces are per key: the nonce the demo key just used is still new to another key.
        Ok(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Sim.Account("bitfinex", "readonly"), nonce + 1)));
    }

    [Fact]
    public async Task permissions_name_each_scope_with_read_and_write_flags()
    {
        var demo = Ok(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Demo))).EnumerateArray()
            .ToDictionary(s => s[0].GetString()!, s => (s[1].GetInt32(), s[2].GetInt32()));
        demo.Keys.ShouldBe(["account", "history", "orders", "positions", "funding", "settings", "wallets", "withdraw"], ignoreOrder: true);
        (demo["wallets"], demo["orders"], demo["withdraw"]).ShouldBe(((1, 0), (1, 1), (0, 0)));
        var readOnly = Ok(await Http.JsonAsync(Signed("/v2/auth/r/permissions", "{}", Sim.Account("bitfinex", "readonly"))))
            .EnumerateArray().ToDictionary(s => s[0].GetString()!, s => (s[1].GetInt32(), s[2].GetInt32()));
        readOnly["orders"].ShouldBe((1, 0));
    }

    [Fact]
    public async Task trades_hist_pages_by_end_newest_first_and_a_boundary_millisecond_repeats_with_end_inclusive()
    {
        var first = Ok(await Http.JsonAsync(Signed("/v2/auth/r/trades/hist", """{"limit":50}""", Demo)));
        first.GetArrayLength().ShouldBe(50);
        var times = first.EnumerateArray().Select(t => t[2].GetInt64()).ToList();
        times.ShouldBeInOrder(SortDirection.Descending);
        var oldest = times[^1];
        var body = $$"""{"end":{{oldest}},"limit":50}""";
        var second = Ok(await Http.JsonAsync(Signed("/v2/auth/r/trades/hist", body, Demo)));
        second[0][2].GetInt64().ShouldBe(oldest); // end is inclusive
        second[0][0].GetInt64().ShouldBe(first[49][0].GetInt64());

        // Some trades share a millisecond: fills of one order.
        var all = Ok(await Http.JsonAsync(Signed("/v2/auth/r/trades/hist", """{"limit":2500}""", Demo)));
        all.GetArrayLength().ShouldBe(275);
        all.EnumerateArray().GroupBy(t => t[2].GetInt64()).ShouldContain(g => g.Count() > 1);

        var asc = Ok(await Http.JsonAsync(Signed("/v2/auth/r/trades/hist", $$"""{"start":{{oldest}},"sort":1,"limit":2500}""", Demo)));
        asc.EnumerateArray().Select(t => t[2].GetInt64()).ShouldBeInOrder(SortDirection.Ascending);
        asc[0][2].GetInt64().ShouldBe(oldest); // start is inclusive too

        var btc = Ok(await Http.JsonAsync(Signed("/v2/auth/r/trades/tBTCUST/hist", """{"limit":2500}""", Demo)));
        btc.GetArrayLength().ShouldBeGreaterThan(0);
        btc.EnumerateArray().ShouldAllBe(t => t[1].GetString() == "tBTCUST");
        var trade = btc[0];
        (trade[4].GetDecimal() != 0m, trade[8].GetInt32() is 1 or -1, trade[9].GetDecimal() < 0m).ShouldBe((true, true, true));

        Ok(await Http.JsonAsync(Signed("/v2/auth/r/trades/hist", "{}", Demo))).GetArrayLength().ShouldBe(25); // Bitfinex's default
        ShouldBeBitfinexError(await Http.JsonAsync(Signed("/v2/auth/r/trades/hist", """{"limit":2501}""", Demo)), 500, 10020, "limit: invalid");
        ShouldBeBitfinexError(await Http.JsonAsync(Signed("/v2/auth/r/trades/tNOPEUSD/hist", "{}", Demo)), 500, 10020, "symbol: invalid");
    }

    [Fact]
    public async Task calls_over_the_per_minute_limit_get_err_rate_limit_with_http_429()
    {
        var options = new SimulatorOptions { Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 10, TimeSpan.Zero)) };
        options.Bitfinex.PrivateRequestsPerMinute = 2;
        await using var sim = await SimulatorHost.StartAsync(options);
        var account = sim.Account("bitfinex", "demo");
        HttpRequestMessage Request()
        {
            var nonce = NextNonce().ToString(CultureInfo.InvariantCulture);
            using var hmac = new HMACSHA384(Encoding.UTF8.GetBytes(account.ApiSecret));
            var r = new HttpRequestMessage(HttpMethod.Post, sim.BaseUrl("bitfinex") + "/v2/auth/r/wallets") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            r.Headers.Add("bfx-nonce", nonce);
            r.Headers.Add("bfx-apikey", account.ApiKey);
            r.Headers.Add("bfx-signature", Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("/api/v2/auth/r/wallets" + nonce + "{}"))));
            return r;
        }
        for (var i = 0; i < 2; i++) Ok(await Http.JsonAsync(Request()));
        var limited = await Http.JsonAsync(Request());
        (limited.Status, limited.Body.GetProperty("error").GetString()).ShouldBe((429, "ERR_RATE_LIMIT"));
        ((Microsoft.Extensions.Time.Testing.FakeTimeProvider)options.Time).Advance(TimeSpan.FromMinutes(1));
        Ok(await Http.JsonAsync(Request()));
    }

    [Fact]
    public async Task faults_answer_as_bitfinex_would()
    {
        await using var sim = await SimulatorHost.StartAsync();
        sim.Faults.Add(FaultKind.Maintenance, "bitfinex");
        using (var status = await Http.GetAsync(sim.BaseUrl("bitfinex") + "/v2/platform/status"))
            (await status.Content.ReadAsStringAsync()).ShouldBe("[0]");
        ShouldBeBitfinexError(await Http.GetJsonAsync(sim.BaseUrl("bitfinex") + "/v2/ticker/tBTCUSD"), 500, 20060, "maintenance");
        sim.Faults.Clear();
        sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "bitfinex", RetryAfterSeconds = 7 });
        using var limited = await Http.GetAsync(sim.BaseUrl("bitfinex") + "/v2/ticker/tBTCUSD");
        ((int)limited.StatusCode, limited.Headers.RetryAfter!.Delta).ShouldBe((429, TimeSpan.FromSeconds(7)));
        (await limited.Content.ReadAsStringAsync()).ShouldBe("""{"error":"ERR_RATE_LIMIT"}""");
    }

    [Fact]
    public async Task a_conf_request_with_comma_joined_keys_answers_each_key_in_the_order_asked()
    {
        var single = Ok(await Http.GetJsonAsync(Bitfinex + "/v2/conf/pub:list:pair:exchange"));
        var combined = Ok(await Http.GetJsonAsync(Bitfinex + "/v2/conf/pub:list:pair:exchange,pub:list:pair:margin,pub:list:currency,pub:map:currency:sym,pub:no:such:key"));
        combined.GetArrayLength().ShouldBe(5);
        combined[0].ToString().ShouldBe(single[0].ToString());
        combined[1].GetArrayLength().ShouldBe(0, "only spot is simulated");
        combined[2].EnumerateArray().Select(c => c.GetString()).ShouldContain("UST", "Bitfinex lists its own codes");
        combined[3].EnumerateArray().Select(m => (m[0].GetString(), m[1].GetString())).ShouldContain(("UST", "USDT"));
        combined[4].ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
