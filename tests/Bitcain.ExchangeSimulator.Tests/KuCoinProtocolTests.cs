using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class KuCoinProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string KuCoin => Sim.BaseUrl("kucoin");
    private SimulatedAccount Demo => Sim.Account("kucoin", "demo");

    private static string Hmac(string secret, string text)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>kucoin-api-docs "Signing a Message", written out: sign = base64 HMAC(secret, ts + GET + endpoint);
    /// a v2 passphrase is base64 HMAC(secret, passphrase).</summary>
    private HttpRequestMessage Signed(string endpoint, SimulatedAccount account, long? ts = null, string? secret = null, string? passphrase = null,
        string version = "2")
    {
        var timestamp = (ts ?? Sim.NowMs()).ToString(CultureInfo.InvariantCulture);
        var r = new HttpRequestMessage(HttpMethod.Get, KuCoin + endpoint);
        r.Headers.Add("KC-API-KEY", account.ApiKey);
        r.Headers.Add("KC-API-TIMESTAMP", timestamp);
        r.Headers.Add("KC-API-SIGN", Hmac(secret ?? account.ApiSecret, timestamp + "GET" + endpoint));
        r.Headers.Add("KC-API-PASSPHRASE", version == "2" ? Hmac(account.ApiSecret, passphrase ?? account.Passphrase!) : passphrase ?? account.Passphrase!);
        r.Headers.Add("KC-API-KEY-VERSION", version);
        return r;
    }

    private static JsonElement Data((int Status, JsonElement Body) answer)
    {
        answer.Status.ShouldBe(200);
        answer.Body.GetProperty("code").GetString().ShouldBe("200000", answer.Body.ToString());
        return answer.Body.GetProperty("data");
    }

    private static void ShouldBeKuCoinError((int Status, JsonElement Body) answer, int status, string code) =>
        (answer.Status, answer.Body.GetProperty("code").GetString()).ShouldBe((status, code), answer.Body.ToString());

    [Fact]
    public async Task public_time_status_symbols_and_stats()
    {
        Math.Abs(Data(await Http.GetJsonAsync($"{KuCoin}/api/v1/timestamp")).GetInt64() - Sim.NowMs()).ShouldBeLessThan(5000);
        Data(await Http.GetJsonAsync($"{KuCoin}/api/v1/status")).GetProperty("status").GetString().ShouldBe("open");
        var xlm = Data(await Http.GetJsonAsync($"{KuCoin}/api/v2/symbols")).EnumerateArray().First();
        (xlm.GetProperty("symbol").GetString(), xlm.GetProperty("baseIncrement").GetString(), xlm.GetProperty("minFunds").GetString())
            .ShouldBe(("XLM-USDT", "0.0001", "0.1")); // the docs example's filters
        Data(await Http.GetJsonAsync($"{KuCoin}/api/v1/market/stats?symbol=BTC-USDT")).GetProperty("symbol").GetString().ShouldBe("BTC-USDT");
    }

    [Fact]
    public async Task a_signed_call_checks_key_timestamp_passphrase_and_signature()
    {
        Data(await Http.JsonAsync(Signed("/api/v1/accounts", Demo))).GetArrayLength().ShouldBeGreaterThan(0);
        ShouldBeKuCoinError(await Http.JsonAsync(Signed("/api/v1/accounts", Demo with { ApiKey = "000000000000000000000000" })), 401, "400003");
        ShouldBeKuCoinError(await Http.JsonAsync(Signed("/api/v1/accounts", Demo, Sim.NowMs() - 6000)), 401, "400002");
        ShouldBeKuCoinError(await Http.JsonAsync(Signed("/api/v1/accounts", Demo, passphrase: "wrong")), 401, "400004");
        // A v2 key's passphrase sent in clear is not the passphrase KuCoin expects.
        ShouldBeKuCoinError(await Http.JsonAsync(Signed("/api/v1/accounts", Demo, version: "1", passphrase: Hmac(Demo.ApiSecret, Demo.Passphrase!))), 401, "400004");
        ShouldBeKuCoinError(await Http.JsonAsync(Signed("/api/v1/accounts", Demo, secret: "wrong")), 401, "400005");
        var tampered = Signed("/api/v1/fills?pageSize=10", Demo);
        tampered.RequestUri = new Uri(KuCoin + "/api/v1/fills?pageSize=20");
        ShouldBeKuCoinError(await Http.JsonAsync(tampered), 401, "400005");
    }

    [Fact]
    public async Task fills_are_windowed_to_seven_days_and_paged_newest_first()
    {
        var end = Sim.Options.DataEpoch.ToUnixTimeMilliseconds();
        var start = end - 7 * 86_400_000L;
        ShouldBeKuCoinError(await Http.JsonAsync(Signed($"/api/v1/fills?startAt={start - 1}&endAt={end}", Demo)), 400, "400100");
        var first = Data(await Http.JsonAsync(Signed($"/api/v1/fills?pageSize=10&currentPage=1&startAt={start}&endAt={end}", Demo)));
        var total = first.GetProperty("totalNum").GetInt32();
        total.ShouldBeGreaterThan(10);
        first.GetProperty("totalPage").GetInt32().ShouldBe((total + 9) / 10);
        first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("createdAt").GetInt64()).ShouldBeInOrder(SortDirection.Descending);
        Data(await Http.JsonAsync(Signed("/api/v1/user/api-key", Demo))).GetProperty("permission").GetString().ShouldBe("General,Spot");
        Data(await Http.JsonAsync(Signed("/api/v1/user/api-key", Sim.Account("kucoin", "readonly")))).GetProperty("permission").GetString().ShouldBe("General");
    }

    [Fact]
    public async Task the_private_pool_refuses_with_429000_and_the_gw_ratelimit_headers()
    {
        var options = new SimulatorOptions { Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 10, TimeSpan.Zero)) };
        options.KuCoin.PrivateWeightPer30Seconds = 40; // api-key weighs 20
        await using var sim = await SimulatorHost.StartAsync(options);
        var account = sim.Account("kucoin", "demo");
        HttpRequestMessage Request()
        {
            var ts = sim.NowMs().ToString(CultureInfo.InvariantCulture);
            var r = new HttpRequestMessage(HttpMethod.Get, sim.BaseUrl("kucoin") + "/api/v1/user/api-key");
            r.Headers.Add("KC-API-KEY", account.ApiKey);
            r.Headers.Add("KC-API-TIMESTAMP", ts);
            r.Headers.Add("KC-API-SIGN", Hmac(account.ApiSecret, ts + "GET/api/v1/user/api-key"));
            r.Headers.Add("KC-API-PASSPHRASE", Hmac(account.ApiSecret, account.Passphrase!));
            r.Headers.Add("KC-API-KEY-VERSION", "2");
            return r;
        }
        for (var i = 0; i < 2; i++) Data(await Http.JsonAsync(Request()));
        using var refused = await Http.SendAsync(Request());
        ((int)refused.StatusCode).ShouldBe(429);
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString().ShouldBe("429000");
        refused.Headers.GetValues("gw-ratelimit-remaining").Single().ShouldBe("0");
        refused.Headers.GetValues("gw-ratelimit-reset").Single().ShouldBe("20000"); // 10 s into the 30-second window
    }
}
