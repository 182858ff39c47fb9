using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class OkxProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Okx => Sim.BaseUrl("okx");
    private SimulatedAccount Demo => Sim.Account("okx", "demo");

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>OKX "REST Authentication", written out: base64(HMAC-SHA256(secret, timestamp + method + requestPath + body)).</summary>
    private HttpRequestMessage Signed(string pathAndQuery, SimulatedAccount account, DateTimeOffset? at = null, string? secret = null, string? passphrase = null)
    {
        var ts = Iso(at ?? Sim.Options.Time.GetUtcNow());
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret ?? account.ApiSecret));
        var request = new HttpRequestMessage(HttpMethod.Get, Okx + pathAndQuery);
        request.Headers.Add("OK-ACCESS-KEY", account.ApiKey);
        request.Headers.Add("OK-ACCESS-TIMESTAMP", ts);
        request.Headers.Add("OK-ACCESS-PASSPHRASE", passphrase ?? account.Passphrase);
        request.Headers.Add("OK-ACCESS-SIGN", Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(ts + "GET" + pathAndQuery))));
        return request;
    }

    private static JsonElement Data((int Status, JsonElement Body) answer)
    {
        answer.Status.ShouldBe(200);
        answer.Body.GetProperty("code").GetString().ShouldBe("0", answer.Body.ToString());
        return answer.Body.GetProperty("data");
    }

    private static void ShouldBeOkxError((int Status, JsonElement Body) answer, int status, string code)
    {
        (answer.Status, answer.Body.GetProperty("code").GetString()).ShouldBe((status, code), answer.Body.ToString());
    }

    [Fact]
    public async Task public_time_status_instruments_and_ticker()
    {
        Math.Abs(long.Parse(Data(await Http.GetJsonAsync($"{Okx}/api/v5/public/time"))[0].GetProperty("ts").GetString()!, CultureInfo.InvariantCulture)
            - Sim.NowMs()).ShouldBeLessThan(5000);
        Data(await Http.GetJsonAsync($"{Okx}/api/v5/system/status")).GetArrayLength().ShouldBe(0);
        var instruments = Data(await Http.GetJsonAsync($"{Okx}/api/v5/public/instruments?instType=SPOT"));
        instruments[0].GetProperty("instId").GetString().ShouldBe("BTC-USD"); // the recorded instrument, verbatim
        instruments[0].GetProperty("rpiMinLevel").GetString().ShouldBe("5");
        instruments.GetArrayLength().ShouldBeGreaterThan(50);
        var ticker = Data(await Http.GetJsonAsync($"{Okx}/api/v5/market/ticker?instId=BTC-USDT"))[0];
        ticker.GetProperty("instId").GetString().ShouldBe("BTC-USDT");
        ShouldBeOkxError(await Http.GetJsonAsync($"{Okx}/api/v5/market/ticker?instId=NOPE-USDT"), 400, "51001");
    }

    [Fact]
    public async Task a_signed_call_checks_key_timestamp_passphrase_and_signature()
    {
        Data(await Http.JsonAsync(Signed("/api/v5/account/balance", Demo)))[0].GetProperty("details").GetArrayLength().ShouldBeGreaterThan(0);
        ShouldBeOkxError(await Http.JsonAsync(Signed("/api/v5/account/balance", Demo with { ApiKey = "nobody" })), 401, "50111");
        ShouldBeOkxError(await Http.JsonAsync(Signed("/api/v5/account/balance", Demo, Sim.Options.Time.GetUtcNow().AddSeconds(-31))), 401, "50102");
        Data(await Http.JsonAsync(Signed("/api/v5/account/balance", Demo, Sim.Options.Time.GetUtcNow().AddSeconds(-25))));
        ShouldBeOkxError(await Http.JsonAsync(Signed("/api/v5/account/balance", Demo, passphrase: "wrong")), 401, "50105");
        ShouldBeOkxError(await Http.JsonAsync(Signed("/api/v5/account/balance", Demo, secret: "wrong")), 401, "50113");
        // The signature covers the query string.
        var tampered = Signed("/api/v5/trade/fills-history?instType=SPOT", Demo);
        tampered.RequestUri = new Uri(Okx + "/api/v5/trade/fills-history?instType=SPOT&limit=5");
        ShouldBeOkxError(await Http.JsonAsync(tampered), 401, "50113");
    }

    [Fact]
    public async Task fills_history_pages_newest_first_after_a_bill_id_and_config_reports_perm()
    {
        var first = Data(await Http.JsonAsync(Signed("/api/v5/trade/fills-history?instType=SPOT&limit=100", Demo)));
        first.GetArrayLength().ShouldBe(100);
        var last = first[99].GetProperty("billId").GetString();
        var second = Data(await Http.JsonAsync(Signed($"/api/v5/trade/fills-history?instType=SPOT&limit=100&after={last}", Demo)));
        long.Parse(second[0].GetProperty("billId").GetString()!, CultureInfo.InvariantCulture)
            .ShouldBe(long.Parse(last!, CultureInfo.InvariantCulture) - 1);
        first.EnumerateArray().Select(f => long.Parse(f.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture)).ShouldBeInOrder(SortDirection.Descending);

        Data(await Http.JsonAsync(Signed("/api/v5/account/config", Demo)))[0].GetProperty("perm").GetString().ShouldBe("read_only,trade");
        Data(await Http.JsonAsync(Signed("/api/v5/account/config", Sim.Account("okx", "readonly"))))[0].GetProperty("perm").GetString().ShouldBe("read_only");
    }

    [Fact]
    public async Task private_calls_over_the_two_second_limit_get_50011_with_http_429()
    {
        var options = new SimulatorOptions { Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero)) };
        options.Okx.PrivateRequestsPerTwoSeconds = 2;
        await using var sim = await SimulatorHost.StartAsync(options);
        var account = sim.Account("okx", "demo");
        HttpRequestMessage Request()
        {
            var ts = Iso(sim.Options.Time.GetUtcNow());
            using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(account.ApiSecret));
            var r = new HttpRequestMessage(HttpMethod.Get, sim.BaseUrl("okx") + "/api/v5/account/config");
            r.Headers.Add("OK-ACCESS-KEY", account.ApiKey);
            r.Headers.Add("OK-ACCESS-TIMESTAMP", ts);
            r.Headers.Add("OK-ACCESS-PASSPHRASE", account.Passphrase);
            r.Headers.Add("OK-ACCESS-SIGN", Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(ts + "GET/api/v5/account/config"))));
            return r;
        }
        for (var i = 0; i < 2; i++) Data(await Http.JsonAsync(Request()));
        ShouldBeOkxError(await Http.JsonAsync(Request()), 429, "50011");
    }
}
