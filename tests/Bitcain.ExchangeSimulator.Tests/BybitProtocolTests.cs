using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class BybitProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Bybit => Sim.BaseUrl("bybit");
    private SimulatedAccount Demo => Sim.Account("bybit", "demo");

    /// <summary>docs/v5/guide.mdx, written out here: hex(HMAC-SHA256(secret, timestamp + key + recv_window + queryString)).</summary>
    private static string Sign(string secret, string text)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private HttpRequestMessage Signed(string path, string query, SimulatedAccount account, long? timestamp = null, string? secret = null,
        string recvWindow = "5000")
    {
        var ts = (timestamp ?? Sim.NowMs()).ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Bybit}{path}?{query}");
        request.Headers.Add("X-BAPI-API-KEY", account.ApiKey);
        request.Headers.Add("X-BAPI-TIMESTAMP", ts);
        request.Headers.Add("X-BAPI-RECV-WINDOW", recvWindow);
        request.Headers.Add("X-BAPI-SIGN", Sign(secret ?? account.ApiSecret, ts + account.ApiKey + recvWindow + query));
        return request;
    }

    private static JsonElement Result((int Status, JsonElement Body) answer)
    {
        answer.Status.ShouldBe(200);
        answer.Body.GetProperty("retCode").GetInt32().ShouldBe(0, answer.Body.ToString());
        return answer.Body.GetProperty("result");
    }

    private static void ShouldBeBybitError((int Status, JsonElement Body) answer, int code)
    {
        answer.Status.ShouldBe(200, "Bybit reports API errors with HTTP 200 and a retCode");
        answer.Body.GetProperty("retCode").GetInt32().ShouldBe(code, answer.Body.ToString());
    }

    [Fact]
    public async Task public_time_instruments_and_tickers_answer_in_bybit_envelopes()
    {
        var time = Result(await Http.GetJsonAsync($"{Bybit}/v5/market/time"));
        (long.Parse(time.GetProperty("timeNano").GetString()!, CultureInfo.InvariantCulture) / 1_000_000_000)
            .ShouldBe(long.Parse(time.GetProperty("timeSecond").GetString()!, CultureInfo.InvariantCulture));

        var btc = Result(await Http.GetJsonAsync($"{Bybit}/v5/market/instruments-info?category=spot&symbol=BTCUSDT")).GetProperty("list")[0];
        // The docs example's filters, as published.
        btc.GetProperty("lotSizeFilter").GetProperty("basePrecision").GetString().ShouldBe("0.000001");
        btc.GetProperty("lotSizeFilter").GetProperty("minOrderAmt").GetString().ShouldBe("5");
        btc.GetProperty("priceFilter").GetProperty("tickSize").GetString().ShouldBe("0.1");
        Result(await Http.GetJsonAsync($"{Bybit}/v5/market/instruments-info?category=spot")).GetProperty("list").GetArrayLength().ShouldBeGreaterThan(50);

        var ticker = Result(await Http.GetJsonAsync($"{Bybit}/v5/market/tickers?category=spot&symbol=BTCUSDT")).GetProperty("list")[0];
        decimal.Parse(ticker.GetProperty("bid1Price").GetString()!, CultureInfo.InvariantCulture)
            .ShouldBeLessThan(decimal.Parse(ticker.GetProperty("ask1Price").GetString()!, CultureInfo.InvariantCulture));
        ShouldBeBybitError(await Http.GetJsonAsync($"{Bybit}/v5/market/tickers?category=spot&symbol=NOPEUSDT"), 10001);
    }

    [Fact]
    public async Task a_signed_call_is_checked_key_then_timestamp_window_then_signature()
    {
        var balance = Result(await Http.JsonAsync(Signed("/v5/account/wallet-balance", "accountType=UNIFIED", Demo)));
        balance.GetProperty("list")[0].GetProperty("coin").EnumerateArray().Select(c => c.GetProperty("coin").GetString()).ShouldContain("BTC");

        var stranger = Demo with { ApiKey = "nobodyKnowsThisKey" };
        ShouldBeBybitError(await Http.JsonAsync(Signed("/v5/account/wallet-balance", "accountType=UNIFIED", stranger)), 10003);
        ShouldBeBybitError(await Http.JsonAsync(Signed("/v5/account/wallet-balance", "accountType=UNIFIED", Demo, secret: "wrong")), 10004);

        // server_time - recv_window <= timestamp < server_time + 1000
        var now = Sim.NowMs();
        ShouldBeBybitError(await Http.JsonAsync(Signed("/v5/account/wallet-balance", "accountType=UNIFIED", Demo, now - 6000)), 10002);
        Result(await Http.JsonAsync(Signed("/v5/account/wallet-balance", "accountType=UNIFIED", Demo, Sim.NowMs() - 9000, recvWindow: "20000")));
        ShouldBeBybitError(await Http.JsonAsync(Signed("/v5/account/wallet-balance", "accountType=UNIFIED", Demo, Sim.NowMs() + 5000)), 10002);

        // The signature covers the query string exactly as sent.
        var tampered = Signed("/v5/account/wallet-balance", "accountType=UNIFIED", Demo);
        tampered.RequestUri = new Uri($"{Bybit}/v5/account/wallet-balance?accountType=UNIFIED&coin=BTC");
        ShouldBeBybitError(await Http.JsonAsync(tampered), 10004);
    }

    [Fact]
    public async Task executions_are_windowed_to_seven_days_and_paged_newest_first_by_cursor()
    {
        var start = Sim.Options.DataEpoch.AddDays(-7).ToUnixTimeMilliseconds();
        var end = Sim.Options.DataEpoch.ToUnixTimeMilliseconds();
        ShouldBeBybitError(await Http.JsonAsync(Signed("/v5/execution/list",
            $"category=spot&startTime={start - 86_400_000}&endTime={end}", Demo)), 10001);

        var ids = new List<string>();
        var times = new List<long>();
        string cursor = "";
        do
        {
            var query = $"category=spot&limit=25&startTime={start}&endTime={end}" + (cursor.Length > 0 ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            var page = Result(await Http.JsonAsync(Signed("/v5/execution/list", query, Demo)));
            foreach (var e in page.GetProperty("list").EnumerateArray())
            {
                ids.Add(e.GetProperty("execId").GetString()!);
                times.Add(long.Parse(e.GetProperty("execTime").GetString()!, CultureInfo.InvariantCulture));
            }
            cursor = page.GetProperty("nextPageCursor").GetString()!;
        } while (cursor.Length > 0);
        ids.Count.ShouldBeGreaterThan(25);
        ids.Distinct().Count().ShouldBe(ids.Count);
        times.ShouldBeInOrder(SortDirection.Descending);
        times.ShouldAllBe(t => t >= start && t <= end);
    }

    [Fact]
    public async Task query_api_reports_read_only_keys_and_spot_trading()
    {
        var demo = Result(await Http.JsonAsync(Signed("/v5/user/query-api", "", Demo)));
        demo.GetProperty("readOnly").GetInt32().ShouldBe(0);
        demo.GetProperty("permissions").GetProperty("Spot").EnumerateArray().Select(p => p.GetString()).ShouldBe(["SpotTrade"]);
        var readOnly = Result(await Http.JsonAsync(Signed("/v5/user/query-api", "", Sim.Account("bybit", "readonly"))));
        readOnly.GetProperty("readOnly").GetInt32().ShouldBe(1);
        readOnly.GetProperty("permissions").GetProperty("Spot").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task private_calls_over_the_per_second_limit_get_10006_and_the_limit_headers()
    {
        var options = new SimulatorOptions { Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero)) };
        options.Bybit.PrivateRequestsPerSecond = 2;
        await using var sim = await SimulatorHost.StartAsync(options);
        var account = sim.Account("bybit", "demo");
        HttpRequestMessage Request()
        {
            var ts = sim.NowMs().ToString(CultureInfo.InvariantCulture);
            var r = new HttpRequestMessage(HttpMethod.Get, sim.BaseUrl("bybit") + "/v5/user/query-api");
            r.Headers.Add("X-BAPI-API-KEY", account.ApiKey);
            r.Headers.Add("X-BAPI-TIMESTAMP", ts);
            r.Headers.Add("X-BAPI-RECV-WINDOW", "5000");
            r.Headers.Add("X-BAPI-SIGN", Sign(account.ApiSecret, ts + account.ApiKey + "5000"));
            return r;
        }
        for (var i = 0; i < 2; i++) (await Http.JsonAsync(Request())).Body.GetProperty("retCode").GetInt32().ShouldBe(0);
        using var refused = await Http.SendAsync(Request());
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("retCode").GetInt32().ShouldBe(10006);
        refused.Headers.GetValues("X-Bapi-Limit").Single().ShouldBe("2");
        refused.Headers.GetValues("X-Bapi-Limit-Status").Single().ShouldBe("0");
        refused.Headers.GetValues("X-Bapi-Limit-Reset-Timestamp").Single().ShouldBe((sim.NowMs() + 1000).ToString(CultureInfo.InvariantCulture));
    }
}
