using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class KrakenProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static long _nonce = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Kraken => Sim.BaseUrl("kraken");
    private SimulatedAccount Demo => Sim.Account("kraken", "demo");

    private static ulong NextNonce() => (ulong)Interlocked.Increment(ref _nonce);

    private static void ShouldBeKrakenError((int Status, JsonElement Body) answer, string error)
    {
        answer.Status.ShouldBe(200, "Kraken reports API errors with HTTP 200");
        answer.Body.GetProperty("error").EnumerateArray().Select(e => e.GetString()).ShouldBe([error]);
    }

    private static JsonElement Result((int Status, JsonElement Body) answer)
    {
        answer.Status.ShouldBe(200);
        answer.Body.GetProperty("error").GetArrayLength().ShouldBe(0, answer.Body.ToString());
        return answer.Body.GetProperty("result");
    }

    [Fact]
    public async Task public_time_status_pairs_and_ticker_answer_in_kraken_envelopes()
    {
        var time = Result(await Http.GetJsonAsync(Kraken + "/0/public/Time"));
        time.GetProperty("unixtime").GetInt64().ShouldBeInRange(Sim.NowMs() / 1000 - 5, Sim.NowMs() / 1000 + 5);
        time.GetProperty("rfc1123").GetString()!.ShouldEndWith("+0000");

        Result(await Http.GetJsonAsync(Kraken + "/0/public/SystemStatus")).GetProperty("status").GetString().ShouldBe("online");

        var pairs = Result(await Http.GetJsonAsync(Kraken + "/0/public/AssetPairs"));
        pairs.EnumerateObject().Count().ShouldBeInRange(550, 700);
        var xbtusd = pairs.GetProperty("XXBTZUSD");
        xbtusd.GetProperty("altname").GetString().ShouldBe("XBTUSD");
        xbtusd.GetProperty("pair_decimals").GetInt32().ShouldBe(1);
        pairs.GetProperty("XBTUSDT").GetProperty("ordermin").GetString().ShouldBe("0.00005", "XBTUSDT is the recorded nautilus payload");

        var some = Result(await Http.GetJsonAsync(Kraken + "/0/public/AssetPairs?pair=XBTUSD,ETHUSD"));
        some.EnumerateObject().Select(p => p.Name).ShouldBe(["XXBTZUSD", "XETHZUSD"], "altnames answer under the canonical key");

        var ticker = Result(await Http.GetJsonAsync(Kraken + "/0/public/Ticker?pair=XBTUSDT"));
        var t = ticker.GetProperty("XBTUSDT");
        t.GetProperty("a").GetArrayLength().ShouldBe(3);
        t.GetProperty("c").GetArrayLength().ShouldBe(2);
        t.GetProperty("t")[1].ValueKind.ShouldBe(JsonValueKind.Number);
        t.GetProperty("o").ValueKind.ShouldBe(JsonValueKind.String);

        ShouldBeKrakenError(await Http.GetJsonAsync(Kraken + "/0/public/Ticker?pair=NOPEUSD"), "EQuery:Unknown asset pair");
    }

    [Fact]
    public async Task assets_list_every_traded_asset_under_its_kraken_code_with_its_altname()
    {
        var assets = Result(await Http.GetJsonAsync(Kraken + "/0/public/Assets"));
        assets.GetProperty("XXBT").GetProperty("altname").GetString().ShouldBe("XBT");
        assets.GetProperty("ZUSD").GetProperty("decimals").GetInt32().ShouldBe(4);
        assets.GetProperty("SOL").GetProperty("aclass").GetString().ShouldBe("currency");
        Result(await Http.GetJsonAsync(Kraken + "/0/public/Assets?asset=XBT,ZUSD")).EnumerateObject().Select(a => a.Name).ShouldBe(["XXBT", "ZUSD"], ignoreOrder: true);
        ShouldBeKrakenError(await Http.GetJsonAsync(Kraken + "/0/public/Assets?asset=NOPE"), "EQuery:Unknown asset");
    }

    [Fact]
    public async Task balances_are_served_to_a_correctly_signed_request()
    {
        var balance = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", Demo, NextNonce())));
        balance.GetProperty("ZUSD").GetString().ShouldBe("200000.0000");
        balance.GetProperty("XXBT").GetString().ShouldBe("0.5000000000");
        balance.GetProperty("DOT.S").GetString().ShouldNotBeNull();

        var ex = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/BalanceEx", Demo, NextNonce())));
        ex.GetProperty("XXBT").GetProperty("hold_trade").GetString().ShouldBe("0.1000000000");
    }

    [Fact]
    public async Task a_wrong_secret_an_unknown_key_and_a_missing_signature_are_rejected()
    {
        var other = Sim.Account("kraken", "readonly");
        ShouldBeKrakenError(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", Demo, NextNonce(), secretOverride: other.ApiSecret)),
            "EAPI:Invalid signature");
        ShouldBeKrakenError(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", Demo with { ApiKey = "nope" }, NextNonce())),
            "EAPI:Invalid key");
        var unsigned = Signing.KrakenPost(Kraken, "/0/private/Balance", Demo, NextNonce());
        unsigned.Headers.Remove("API-Sign");
        ShouldBeKrakenError(await Http.JsonAsync(unsigned), "EAPI:Invalid signature");

        // Signing another path than the one called is a bad signature (the path is part of the message).
        var wrongPath = Signing.KrakenPost(Kraken, "/0/private/Balance", Demo, NextNonce());
        wrongPath.RequestUri = new Uri(Kraken + "/0/private/BalanceEx");
        ShouldBeKrakenError(await Http.JsonAsync(wrongPath), "EAPI:Invalid signature");
    }

    [Fact]
    public async Task a_reused_or_lower_nonce_is_rejected()
    {
        var account = Sim.Account("kraken", "load");
        var nonce = NextNonce();
        Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", account, nonce)));
        ShouldBeKrakenError(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", account, nonce)), "EAPI:Invalid nonce");
        ShouldBeKrakenError(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", account, nonce - 10)), "EAPI:Invalid nonce");
        Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", account, NextNonce())));

        // A forged request with a huge nonce must not raise the bar for the key's owner.
        var forged = Signing.KrakenPost(Kraken, "/0/private/Balance", account, ulong.MaxValue - 1, secretOverride: Demo.ApiSecret);
        ShouldBeKrakenError(await Http.JsonAsync(forged), "EAPI:Invalid signature");
        Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", account, NextNonce())));

        var noNonce = new HttpRequestMessage(HttpMethod.Post, Kraken + "/0/private/Balance") { Content = new StringContent("") };
        noNonce.Headers.Add("API-Key", account.ApiKey);
        noNonce.Headers.Add("API-Sign", Signing.KrakenSign(account.ApiSecret, "/0/private/Balance", "", ""));
        ShouldBeKrakenError(await Http.JsonAsync(noNonce), "EAPI:Invalid nonce");
    }

    [Fact]
    public async Task key_permissions_are_reported_and_enforced()
    {
        var readOnly = Sim.Account("kraken", "readonly");
        var info = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/GetApiKeyInfo", readOnly, NextNonce())));
        var permissions = info.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        permissions.ShouldContain("query-funds");
        permissions.ShouldNotContain("modify-trades");
        ShouldBeKrakenError(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/GetWebSocketsToken", readOnly, NextNonce())),
            "EGeneral:Permission denied");
        Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/GetWebSocketsToken", Demo, NextNonce())));
    }

    [Fact]
    public async Task trades_history_pages_by_fifty_newest_first_with_ofs()
    {
        var seen = new List<(string TxId, decimal Time)>();
        var count = -1;
        for (var ofs = 0; count < 0 || ofs < count; ofs += 50)
        {
            var page = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", Demo, NextNonce(), $"ofs={ofs}")));
            count = page.GetProperty("count").GetInt32();
            var trades = page.GetProperty("trades").EnumerateObject().ToList();
            trades.Count.ShouldBe(Math.Min(50, count - ofs));
            seen.AddRange(trades.Select(t => (t.Name, t.Value.GetProperty("time").GetDecimal())));
        }
        count.ShouldBe(320);
        seen.Count.ShouldBe(320);
        seen.Select(s => s.TxId).Distinct().Count().ShouldBe(320);
        seen.Select(s => s.Time).ShouldBe(seen.Select(s => s.Time).OrderDescending().ToList());
        seen[0].TxId.ShouldMatch("^T[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$");
    }

    [Fact]
    public async Task trades_history_start_is_exclusive_and_end_inclusive()
    {
        var newest = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", Demo, NextNonce())))
            .GetProperty("trades").EnumerateObject().Take(3).Select(t => t.Value.GetProperty("time").GetDecimal()).ToList();
        var window = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", Demo, NextNonce(),
            $"start={newest[2].ToString(System.Globalization.CultureInfo.InvariantCulture)}&end={newest[0].ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
        window.GetProperty("count").GetInt32().ShouldBe(2);
        window.GetProperty("trades").EnumerateObject().Select(t => t.Value.GetProperty("time").GetDecimal()).ShouldBe([newest[0], newest[1]]);
    }

    [Fact]
    public async Task trades_history_checks_its_type_and_asset_pairs_its_info()
    {
        Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", Demo, NextNonce(), "type=closed%20position")))
            .GetProperty("count").GetInt32().ShouldBe(0, "spot trades belong to no position");
        ShouldBeKrakenError(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", Demo, NextNonce(), "type=sideways")),
            "EGeneral:Invalid arguments:type");
        var fees = Result(await Http.GetJsonAsync(Kraken + "/0/public/AssetPairs?pair=XBTUSD&info=fees")).GetProperty("XXBTZUSD");
        fees.EnumerateObject().Select(p => p.Name).ShouldBe(["fees", "fees_maker", "fee_volume_currency"]);
    }

    [Fact]
    public async Task unknown_methods_answer_404_with_the_kraken_error()
    {
        var answer = await Http.GetJsonAsync(Kraken + "/0/public/NoSuchThing");
        answer.Status.ShouldBe(404);
        answer.Body.GetProperty("error")[0].GetString().ShouldBe("EGeneral:Unknown method");
    }

    [Fact]
    public async Task the_load_account_has_a_hundred_thousand_trades_and_pages_deep_quickly()
    {
        var load = Sim.Account("kraken", "load");
        var first = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", load, NextNonce())));
        first.GetProperty("count").GetInt32().ShouldBe(Sim.Options.LoadAccountTrades);
        first.GetProperty("count").GetInt32().ShouldBeGreaterThanOrEqualTo(100_000);
        var deep = Result(await Http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/TradesHistory", load, NextNonce(),
            $"ofs={Sim.Options.LoadAccountTrades - 20}")));
        deep.GetProperty("trades").EnumerateObject().Count().ShouldBe(20);
    }
}
