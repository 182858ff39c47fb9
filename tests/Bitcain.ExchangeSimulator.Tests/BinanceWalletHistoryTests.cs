using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>A simulator whose clock stands still three weeks after the data epoch, so default windows are exact.</summary>
public sealed class FrozenSimulatorFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public RunningSimulator Sim { get; private set; } = null!;
    public HttpClient Http { get; } = new();

    public async Task InitializeAsync() => Sim = await SimulatorHost.StartAsync(new SimulatorOptions { Time = new FakeTimeProvider(Now) });

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }
}

/// <summary>Issue #14's wallet history endpoints, accounts and admin trade calls.</summary>
public sealed class BinanceWalletHistoryTests : IClassFixture<FrozenSimulatorFixture>
{
    private const long DayMs = 86_400_000;
    private readonly RunningSimulator sim;
    private readonly HttpClient http;

    public BinanceWalletHistoryTests(FrozenSimulatorFixture fixture)
    {
        sim = fixture.Sim;
        http = fixture.Http;
        sim.Reset();
    }

    private Task<(int Status, JsonElement Body)> Get(string exchange, string account, string path, string query = "") =>
        http.JsonAsync(Signing.BinanceGet(sim.BaseUrl(exchange), path, query, sim.Account(exchange, account), sim.NowMs()));

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("binance", "/sapi/v1/capital/deposit/hisrec")]
    [InlineData("binance", "/sapi/v1/capital/withdraw/history")]
    [InlineData("binance", "/sapi/v1/asset/dribblet")]
    [InlineData("binanceus", "/sapi/v1/fiatpayment/query/deposit/history")]
    [InlineData("binanceus", "/sapi/v1/fiatpayment/query/withdraw/history")]
    [InlineData("binanceus", "/sapi/v1/asset/query/dust-logs")]
    public async Task history_endpoints_are_signed_like_every_user_data_endpoint(string exchange, string path)
    {
        var account = sim.Account(exchange, "demo");
        var payload = "timestamp=" + sim.NowMs().ToString(CultureInfo.InvariantCulture);
        var unsigned = new HttpRequestMessage(HttpMethod.Get, $"{sim.BaseUrl(exchange)}{path}?{payload}");
        unsigned.Headers.Add("X-MBX-APIKEY", account.ApiKey);
        var (status, body) = await http.JsonAsync(unsigned);
        status.ShouldBe(400);
        body.GetProperty("code").GetInt32().ShouldBe(-1102);

        var wrong = await http.JsonAsync(Signing.BinanceGet(sim.BaseUrl(exchange), path, "", account, sim.NowMs(), secretOverride: new string('x', 64)));
        wrong.Status.ShouldBe(400);
        wrong.Body.GetProperty("code").GetInt32().ShouldBe(-1022);

        (await Get(exchange, "demo", path)).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("/sapi/v1/capital/deposit/hisrec")]
    [InlineData("/sapi/v1/capital/withdraw/history")]
    public async Task a_window_longer_than_90_days_is_refused_and_90_days_is_answered(string path)
    {
        var end = sim.NowMs();
        var tooLong = await Get("binance", "demo", path, $"startTime={end - 90 * DayMs - 1}&endTime={end}");
        tooLong.Status.ShouldBe(400);
        tooLong.Body.GetProperty("code").GetInt32().ShouldBe(-1127);

        // A startTime alone leaves endTime at now: a start long ago is as much too long.
        (await Get("binance", "demo", path, $"startTime={end - 200 * DayMs}")).Status.ShouldBe(400);
        (await Get("binance", "demo", path, $"startTime={end - 90 * DayMs}&endTime={end}")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task deposits_default_to_the_last_90_days_newest_first_in_binance_shape()
    {
        var epoch = sim.Options.DataEpoch;
        var recent = await Get("binance", "demo", "/sapi/v1/capital/deposit/hisrec");
        recent.Body.EnumerateArray().Select(d => d.GetProperty("coin").GetString()).ShouldBe(["ETH", "BTC", "USDT"]);
        var usdt = recent.Body[2];
        usdt.GetProperty("amount").GetString().ShouldBe("20000");
        usdt.GetProperty("status").GetInt32().ShouldBe(1);
        usdt.GetProperty("insertTime").GetInt64().ShouldBe(Ms(epoch.AddDays(-40)));
        usdt.GetProperty("network").GetString().ShouldBe("TRX");
        usdt.GetProperty("txId").GetString().ShouldNotBeNullOrEmpty();

        // sold-out's only deposit is 95 days before the epoch, outside the default window.
        (await Get("binance", "sold-out", "/sapi/v1/capital/deposit/hisrec")).Body.GetArrayLength().ShouldBe(0);
        var start = Ms(epoch.AddDays(-100));
        var old = await Get("binance", "sold-out", "/sapi/v1/capital/deposit/hisrec", $"startTime={start}&endTime={start + 89 * DayMs}");
        old.Body.EnumerateArray().Single().GetProperty("coin").GetString().ShouldBe("USDT");
    }

    [Fact]
    public async Task withdrawals_carry_their_apply_time_as_utc_text()
    {
        var withdrawals = await Get("binance", "demo", "/sapi/v1/capital/withdraw/history");
        var sol = withdrawals.Body.EnumerateArray().Single();
        sol.GetProperty("coin").GetString().ShouldBe("SOL");
        sol.GetProperty("status").GetInt32().ShouldBe(6);
        sol.GetProperty("transactionFee").GetString().ShouldBe("0.01");
        sol.GetProperty("applyTime").GetString().ShouldBe(sim.Options.DataEpoch.AddDays(-5).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task binance_has_a_dribblet_log_and_binance_us_a_dust_log_and_fiat_history()
    {
        var dribblet = await Get("binance", "demo", "/sapi/v1/asset/dribblet");
        dribblet.Body.GetProperty("total").GetInt32().ShouldBe(1);
        dribblet.Body.GetProperty("userAssetDribblets")[0].GetProperty("userAssetDribbletDetails").EnumerateArray()
            .Select(d => d.GetProperty("fromAsset").GetString()).ShouldBe(["DOGE", "LTC"]);
        dribblet.Body.GetProperty("userAssetDribblets")[0].TryGetProperty("totalTransferedAmount", out _).ShouldBeTrue();

        var dust = await Get("binanceus", "spent-quote", "/sapi/v1/asset/query/dust-logs");
        dust.Body.GetProperty("userDustConvertHistory")[0].GetProperty("userAssetDribbletDetails")[0].GetProperty("fromAsset").GetString().ShouldBe("SUSHI");

        var epoch = sim.Options.DataEpoch;
        var start = Ms(epoch.AddDays(-190));
        var fiat = await Get("binanceus", "spent-quote", "/sapi/v1/fiatpayment/query/deposit/history", $"startTime={start}&endTime={start + 89 * DayMs}");
        var record = fiat.Body.GetProperty("assetLogRecordList").EnumerateArray().Single();
        record.GetProperty("fiatCurrency").GetString().ShouldBe("USD");
        record.GetProperty("orderStatus").GetString().ShouldBe("Successful");
        record.GetProperty("amount").GetString().ShouldBe("250000");
        record.GetProperty("createTime").GetInt64().ShouldBe(Ms(epoch.AddDays(-185)));

        // Each venue lacks the other's endpoints, as the real ones do.
        using var noFiat = await http.SendAsync(Signing.BinanceGet(sim.BaseUrl("binance"), "/sapi/v1/fiatpayment/query/deposit/history", "", sim.Account("binance", "demo"), sim.NowMs()));
        noFiat.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var noDribblet = await http.SendAsync(Signing.BinanceGet(sim.BaseUrl("binanceus"), "/sapi/v1/asset/dribblet", "", sim.Account("binanceus", "demo"), sim.NowMs()));
        noDribblet.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task issue_14_accounts_hold_what_their_stories_say_and_list_nothing_else()
    {
        var spent = await Get("binanceus", "spent-quote", "/api/v3/account");
        spent.Body.GetProperty("balances").EnumerateArray().Select(b => b.GetProperty("asset").GetString()).ShouldBe(["BTC", "1INCH"]);
        var soldOut = await Get("binance", "sold-out", "/api/v3/account");
        soldOut.Body.GetProperty("balances").EnumerateArray().Select(b => b.GetProperty("asset").GetString()).ShouldBe(["USDT", "BTC"]);
        // The seeded accounts still list the zero balances of assets they once touched.
        var demo = await Get("binance", "demo", "/api/v3/account");
        demo.Body.GetProperty("balances").EnumerateArray().ShouldContain(b => b.GetProperty("asset").GetString() == "LTC" && b.GetProperty("free").GetString() == "0.00000000");

        var spentTrades = sim.Trades("binanceus", "spent-quote");
        spentTrades.Count.ShouldBe(3000);
        spentTrades.Select(t => t.Symbol).Distinct().Order().ShouldBe(["1INCHUSD", "BTCUSD", "SOLUSD", "SUSHIUSD"]);
        sim.Trades("binance", "sold-out", "RVNUSDT").Count.ShouldBe(1499);
        var wide = sim.Trades("binance", "wide");
        wide.Select(t => t.Symbol).Distinct().Count().ShouldBe(200);
        wide.GroupBy(t => t.Symbol).ShouldAllBe(g => g.Count() >= 3 && g.Count() <= 5);
    }

    [Fact]
    public async Task the_admin_trade_read_is_the_history_my_trades_serves()
    {
        var (status, body) = await http.GetJsonAsync(new Uri(sim.Root, "__sim/accounts/binance/sold-out/trades?symbol=RVNUSDT").ToString());
        status.ShouldBe(200);
        var ids = body.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToList();
        ids.Count.ShouldBe(1499);
        ids.ShouldBe(ids.Order().ToList());

        var served = await Get("binance", "sold-out", "/api/v3/myTrades", "symbol=RVNUSDT&fromId=0&limit=1000");
        served.Body.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ShouldBe(ids.Take(1000));

        (await http.GetJsonAsync(new Uri(sim.Root, "__sim/accounts/binance/nobody/trades").ToString())).Status.ShouldBe(404);
        (await http.GetJsonAsync(new Uri(sim.Root, "__sim/accounts/kraken/demo/trades").ToString())).Status.ShouldBe(404);
    }

    [Fact]
    public async Task trades_added_at_run_time_follow_the_history_are_served_and_go_on_reset()
    {
        var before = sim.Trades("binance", "late-pair");
        var last = before.Max(t => t.TimeMs);
        var url = new Uri(sim.Root, "__sim/accounts/binance/late-pair/trades").ToString();

        using var added = await http.PostAsJsonAsync(url, new { symbol = "XRPUSDT", count = 25 });
        added.StatusCode.ShouldBe(HttpStatusCode.Created);
        var xrp = sim.Trades("binance", "late-pair", "XRPUSDT");
        xrp.Count.ShouldBe(25);
        xrp.ShouldAllBe(t => t.TimeMs > last && t.TimeMs <= sim.NowMs());
        xrp.Select(t => t.Id).ShouldBe(xrp.Select(t => t.Id).Order().Distinct());

        // On a symbol it already traded, ids and times continue after its own.
        var btcBefore = sim.Trades("binance", "late-pair", "BTCUSDT");
        var more = sim.AddTrades("binance", "late-pair", "BTCUSDT", 5);
        more.ShouldAllBe(t => t.Id > btcBefore.Max(b => b.Id) && t.TimeMs > xrp.Max(x => x.TimeMs) && t.TimeMs <= sim.NowMs());
        sim.Trades("binance", "late-pair", "BTCUSDT").Take(btcBefore.Count).ShouldBe(btcBefore);

        var served = await Get("binance", "late-pair", "/api/v3/myTrades", "symbol=XRPUSDT");
        served.Body.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ShouldBe(xrp.Select(t => t.Id));

        using var unlisted = await http.PostAsJsonAsync(url, new { symbol = "NOPEUSDT", count = 5 });
        unlisted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var reset = await http.PostAsync(new Uri(sim.Root, "__sim/reset"), null);
        sim.Trades("binance", "late-pair").ShouldBe(before);
        (await Get("binance", "late-pair", "/api/v3/myTrades", "symbol=XRPUSDT")).Body.GetArrayLength().ShouldBe(0);
    }
}
