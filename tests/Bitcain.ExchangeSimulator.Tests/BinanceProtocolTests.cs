using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class BinanceProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Binance => Sim.BaseUrl("binance");
    private SimulatedAccount Demo => Sim.Account("binance", "demo");
    private SimulatedAccount ReadOnly => Sim.Account("binance", "readonly");

    private static void ShouldBeError((int Status, JsonElement Body) answer, int status, int code, string? msg = null)
    {
        answer.Status.ShouldBe(status);
        answer.Body.GetProperty("code").GetInt32().ShouldBe(code);
        if (msg is not null) answer.Body.GetProperty("msg").GetString().ShouldBe(msg);
    }

    [Fact]
    public async Task public_endpoints_answer_in_binance_shapes_with_the_weight_header()
    {
        using var ping = await Http.GetAsync(Binance + "/api/v3/ping");
        (await ping.Content.ReadAsStringAsync()).ShouldBe("{}");
        ping.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single().ShouldNotBeNullOrEmpty();

        var time = await Http.GetJsonAsync(Binance + "/api/v3/time");
        time.Body.GetProperty("serverTime").GetInt64().ShouldBeInRange(Sim.NowMs() - 5000, Sim.NowMs() + 5000);

        var status = await Http.GetJsonAsync(Binance + "/sapi/v1/system/status");
        status.Body.GetProperty("status").GetInt32().ShouldBe(0);
        status.Body.GetProperty("msg").GetString().ShouldBe("normal");
    }

    [Fact]
    public async Task coin_configs_carry_the_accounts_amounts_and_margin_and_futures_listings_are_empty()
    {
        var coins = await Http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/capital/config/getall", "", Demo, Sim.NowMs()));
        coins.Status.ShouldBe(200, coins.Body.ToString());
        var btc = coins.Body.EnumerateArray().Single(c => c.GetProperty("coin").GetString() == "BTC");
        var held = Sim.Holdings("binance", "demo").Balances["BTC"];
        (decimal.Parse(btc.GetProperty("free").GetString()!, CultureInfo.InvariantCulture)
            + decimal.Parse(btc.GetProperty("locked").GetString()!, CultureInfo.InvariantCulture)).ShouldBe(held);
        btc.GetProperty("networkList")[0].GetProperty("withdrawEnable").GetBoolean().ShouldBeTrue();
        ShouldBeError(await Http.GetJsonAsync(Binance + "/sapi/v1/capital/config/getall"), 401, -2014);

        // Cross-margin pairs are MARKET_DATA: the key alone is enough, a signature is not asked for.
        using var pairs = new HttpRequestMessage(HttpMethod.Get, Binance + "/sapi/v1/margin/allPairs");
        pairs.Headers.Add("X-MBX-APIKEY", Demo.ApiKey);
        var margin = await Http.JsonAsync(pairs);
        (margin.Status, margin.Body.GetArrayLength()).ShouldBe((200, 0));
        ShouldBeError(await Http.GetJsonAsync(Binance + "/sapi/v1/margin/allPairs"), 401, -2014);

        foreach (var futures in new[] { "/fapi/v1/exchangeInfo", "/dapi/v1/exchangeInfo" })
        {
            var info = await Http.GetJsonAsync(Binance + futures);
            (info.Status, info.Body.GetProperty("symbols").GetArrayLength()).ShouldBe((200, 0));
        }
        (await Http.GetAsync(Sim.BaseUrl("binanceus") + "/fapi/v1/exchangeInfo")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task exchange_info_has_binance_size_and_filters_by_symbol_and_symbols()
    {
        var all = await Http.GetJsonAsync(Binance + "/api/v3/exchangeInfo");
        var symbols = all.Body.GetProperty("symbols").EnumerateArray().ToList();
        symbols.Count.ShouldBeInRange(1800, 2400);
        all.Body.GetProperty("rateLimits")[0].GetProperty("rateLimitType").GetString().ShouldBe("REQUEST_WEIGHT");
        var ethbtc = symbols.Single(s => s.GetProperty("symbol").GetString() == "ETHBTC");
        ethbtc.GetProperty("filters").GetArrayLength().ShouldBe(9, "ETHBTC is the recorded go-binance payload with all 9 filters");

        var one = await Http.GetJsonAsync(Binance + "/api/v3/exchangeInfo?symbol=BTCUSDT");
        one.Body.GetProperty("symbols").GetArrayLength().ShouldBe(1);
        var btcusdt = one.Body.GetProperty("symbols")[0];
        btcusdt.GetProperty("permissionSets")[0][0].GetString().ShouldBe("SPOT");
        var filterTypes = btcusdt.GetProperty("filters").EnumerateArray().Select(f => f.GetProperty("filterType").GetString()).ToList();
        filterTypes[0].ShouldBe("PRICE_FILTER", "the recorded filter comes first");
        filterTypes.ShouldContain("LOT_SIZE", "filters the recording left out are completed");
        filterTypes.ShouldContain("NOTIONAL");

        var two = await Http.GetJsonAsync(Binance + "/api/v3/exchangeInfo?symbols=" + Uri.EscapeDataString("[\"BTCUSDT\",\"SOLUSDT\"]"));
        two.Body.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()).ShouldBe(["BTCUSDT", "SOLUSDT"]);

        ShouldBeError(await Http.GetJsonAsync(Binance + "/api/v3/exchangeInfo?symbol=NOPEUSDT"), 400, -1121, "Invalid symbol.");
        ShouldBeError(await Http.GetJsonAsync(Binance + "/api/v3/exchangeInfo?symbols=BTCUSDT,ETHUSDT"), 400, -1100);
    }

    [Fact]
    public async Task synthetic_symbols_carry_consistent_filters()
    {
        var all = await Http.GetJsonAsync(Binance + "/api/v3/exchangeInfo?symbolStatus=TRADING");
        foreach (var s in all.Body.GetProperty("symbols").EnumerateArray())
        {
            s.GetProperty("status").GetString().ShouldBe("TRADING");
            var filters = s.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filterType").GetString()!);
            var tick = decimal.Parse(filters["PRICE_FILTER"].GetProperty("tickSize").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            tick.ShouldBeGreaterThan(0m);
        }
    }

    [Fact]
    public async Task ticker_answers_one_symbol_as_an_object_and_all_as_an_array()
    {
        var one = await Http.GetJsonAsync(Binance + "/api/v3/ticker/24hr?symbol=BTCUSDT");
        one.Body.ValueKind.ShouldBe(JsonValueKind.Object);
        var last = decimal.Parse(one.Body.GetProperty("lastPrice").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var high = decimal.Parse(one.Body.GetProperty("highPrice").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var low = decimal.Parse(one.Body.GetProperty("lowPrice").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        last.ShouldBeInRange(low, high);
        last.ShouldBeInRange(40_000m, 200_000m);
        one.Body.GetProperty("count").GetInt64().ShouldBeGreaterThan(0);

        var again = await Http.GetJsonAsync(Binance + "/api/v3/ticker/24hr?symbol=BTCUSDT");
        again.Body.GetProperty("lastPrice").GetString().ShouldBe(one.Body.GetProperty("lastPrice").GetString(), "tickers are deterministic");

        using var allResponse = await Http.GetAsync(Binance + "/api/v3/ticker/24hr");
        var all = JsonDocument.Parse(await allResponse.Content.ReadAsStringAsync()).RootElement;
        all.GetArrayLength().ShouldBeGreaterThan(1800);
        ShouldBeError(await Http.GetJsonAsync(Binance + "/api/v3/ticker/24hr?symbol=NOPE"), 400, -1121);
    }

    [Fact]
    public async Task account_with_a_good_signature_lists_balances_and_omits_zeros_when_asked()
    {
        var full = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", Demo, Sim.NowMs()));
        full.Status.ShouldBe(200);
        full.Body.GetProperty("canTrade").GetBoolean().ShouldBeTrue();
        full.Body.GetProperty("accountType").GetString().ShouldBe("SPOT");
        var balances = full.Body.GetProperty("balances").EnumerateArray().ToList();
        balances.ShouldContain(b => b.GetProperty("asset").GetString() == "BTC" && b.GetProperty("free").GetString() == "0.51234567");
        balances.ShouldContain(b => b.GetProperty("free").GetString() == "0.00000000");

        var nonZero = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "omitZeroBalances=true", Demo, Sim.NowMs()));
        nonZero.Body.GetProperty("balances").EnumerateArray()
            .ShouldAllBe(b => b.GetProperty("free").GetString() != "0.00000000" || b.GetProperty("locked").GetString() != "0.00000000");

        var readOnly = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", ReadOnly, Sim.NowMs()));
        readOnly.Body.GetProperty("canTrade").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task an_uppercase_hex_signature_is_accepted()
    {
        var payload = "timestamp=" + Sim.NowMs();
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"{Binance}/api/v3/account?{payload}&signature={Signing.BinanceHex(Demo.ApiSecret, payload).ToUpperInvariant()}");
        request.Headers.Add("X-MBX-APIKEY", Demo.ApiKey);
        (await Http.JsonAsync(request)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task a_wrong_secret_is_rejected_with_1022()
    {
        var answer = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", Demo, Sim.NowMs(), secretOverride: ReadOnly.ApiSecret));
        ShouldBeError(answer, 400, -1022, "Signature for this request is not valid.");
    }

    [Fact]
    public async Task a_tampered_query_is_rejected_with_1022()
    {
        var request = Signing.BinanceGet(Binance, "/api/v3/myTrades", "symbol=BTCUSDT&limit=5", Demo, Sim.NowMs());
        request.RequestUri = new Uri(request.RequestUri!.ToString().Replace("limit=5", "limit=6"));
        ShouldBeError(await Http.JsonAsync(request), 400, -1022);
    }

    [Fact]
    public async Task a_stale_timestamp_is_rejected_with_1021_and_a_future_one_too()
    {
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", Demo, Sim.NowMs() - 6000)),
            400, -1021, "Timestamp for this request is outside of the recvWindow.");
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", Demo, Sim.NowMs() + 5000)),
            400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        // A wider recvWindow admits the same lag.
        var wide = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "recvWindow=10000", Demo, Sim.NowMs() - 6000));
        wide.Status.ShouldBe(200);
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "recvWindow=60001", Demo, Sim.NowMs())),
            400, -1131, "recvWindow must be less than 60000");
    }

    [Fact]
    public async Task a_microsecond_timestamp_is_accepted()
    {
        var answer = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", Demo, Sim.NowMs() * 1000 + 123));
        answer.Status.ShouldBe(200);
    }

    [Fact]
    public async Task a_missing_timestamp_is_rejected_with_1102()
    {
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"{Binance}/api/v3/account?recvWindow=5000&signature={Signing.BinanceHex(Demo.ApiSecret, "recvWindow=5000")}");
        request.Headers.Add("X-MBX-APIKEY", Demo.ApiKey);
        ShouldBeError(await Http.JsonAsync(request), 400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    }

    [Fact]
    public async Task unknown_and_malformed_keys_are_rejected_with_401()
    {
        var unknown = Demo with { ApiKey = new string('A', 64) };
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", unknown, Sim.NowMs())),
            401, -2015, "Invalid API-key, IP, or permissions for action.");
        var malformed = Demo with { ApiKey = "short" };
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", malformed, Sim.NowMs())),
            401, -2014, "API-key format invalid.");
        var noKey = Signing.BinanceGet(Binance, "/api/v3/account", "", Demo, Sim.NowMs());
        noKey.Headers.Remove("X-MBX-APIKEY");
        ShouldBeError(await Http.JsonAsync(noKey), 401, -2014);
    }

    [Fact]
    public async Task permissions_are_enforced_and_reported()
    {
        var restrictions = await Http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/account/apiRestrictions", "", ReadOnly, Sim.NowMs()));
        restrictions.Body.GetProperty("enableReading").GetBoolean().ShouldBeTrue();
        restrictions.Body.GetProperty("enableSpotAndMarginTrading").GetBoolean().ShouldBeFalse();
        var demo = await Http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/account/apiRestrictions", "", Demo, Sim.NowMs()));
        demo.Body.GetProperty("enableSpotAndMarginTrading").GetBoolean().ShouldBeTrue();

        (await Http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/bnbBurn", "", ReadOnly, Sim.NowMs()))).Status.ShouldBe(200);
        ShouldBeError(await Http.JsonAsync(Signing.BinancePost(Binance, "/sapi/v1/bnbBurn", "spotBNBBurn=false", ReadOnly, Sim.NowMs())),
            401, -2015);
    }

    [Fact]
    public async Task bnb_burn_is_read_and_toggled_with_a_body_signed_post()
    {
        var account = Sim.Account("binance", "demo");
        var set = await Http.JsonAsync(Signing.BinancePost(Binance, "/sapi/v1/bnbBurn", "spotBNBBurn=false&interestBNBBurn=true", account, Sim.NowMs()));
        set.Status.ShouldBe(200);
        set.Body.GetProperty("spotBNBBurn").GetBoolean().ShouldBeFalse();
        var read = await Http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/bnbBurn", "", account, Sim.NowMs()));
        read.Body.GetProperty("interestBNBBurn").GetBoolean().ShouldBeTrue();
        ShouldBeError(await Http.JsonAsync(Signing.BinancePost(Binance, "/sapi/v1/bnbBurn", "", account, Sim.NowMs())), 400, -1102);
        await Http.JsonAsync(Signing.BinancePost(Binance, "/sapi/v1/bnbBurn", "spotBNBBurn=true&interestBNBBurn=false", account, Sim.NowMs()));
    }

    [Fact]
    public async Task dust_btc_lists_small_balances_with_the_two_percent_fee()
    {
        var dust = await Http.JsonAsync(Signing.BinancePost(Binance, "/sapi/v1/asset/dust-btc", "accountType=SPOT", Demo, Sim.NowMs()));
        dust.Status.ShouldBe(200);
        var assets = dust.Body.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("asset").GetString()).ToList();
        assets.ShouldContain("ADA");
        assets.ShouldNotContain("BTC");
        assets.ShouldNotContain("ETH");
        dust.Body.GetProperty("dribbletPercentage").GetString().ShouldBe("0.02");
    }

    [Fact]
    public async Task dust_converts_to_bnb_all_or_nothing_and_only_with_a_trading_key()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var demo = sim.Account("binance", "demo");
        var binance = sim.BaseUrl("binance");
        ShouldBeError(await Http.JsonAsync(Signing.BinancePost(binance, "/sapi/v1/asset/dust", "asset=ADA", sim.Account("binance", "readonly"), sim.NowMs())),
            401, -2015);
        ShouldBeError(await Http.JsonAsync(Signing.BinancePost(binance, "/sapi/v1/asset/dust", "asset=ADA&asset=ETH", demo, sim.NowMs())),
            400, -1130);

        var converted = await Http.JsonAsync(Signing.BinancePost(binance, "/sapi/v1/asset/dust", "asset=ADA&asset=XLM", demo, sim.NowMs()));
        converted.Status.ShouldBe(200);
        converted.Body.GetProperty("transferResult").EnumerateArray().Select(t => t.GetProperty("fromAsset").GetString()).ShouldBe(["ADA", "XLM"]);
        var gained = decimal.Parse(converted.Body.GetProperty("totalTransfered").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var account = await Http.JsonAsync(Signing.BinanceGet(binance, "/api/v3/account", "", demo, sim.NowMs()));
        var balances = account.Body.GetProperty("balances").EnumerateArray().ToDictionary(b => b.GetProperty("asset").GetString()!, b => b.GetProperty("free").GetString());
        balances["ADA"].ShouldBe("0.00000000");
        balances["BNB"].ShouldBe(F8(3.75m + gained));
        var dust = await Http.JsonAsync(Signing.BinancePost(binance, "/sapi/v1/asset/dust-btc", "", demo, sim.NowMs()));
        dust.Body.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("asset").GetString()).ShouldBe(["SHIB"]);

        sim.Reset();
        var restored = await Http.JsonAsync(Signing.BinanceGet(binance, "/api/v3/account", "omitZeroBalances=true", demo, sim.NowMs()));
        restored.Body.GetProperty("balances").EnumerateArray().ShouldContain(b => b.GetProperty("asset").GetString() == "ADA");
    }

    private static string F8(decimal value) => value.ToString("F8", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task binance_us_lacks_the_endpoints_binance_us_does_not_have_and_has_its_own_dust_api()
    {
        var us = Sim.BaseUrl("binanceus");
        var demo = Sim.Account("binanceus", "demo");
        using (var r = await Http.SendAsync(Signing.BinanceGet(us, "/sapi/v1/bnbBurn", "", demo, Sim.NowMs()))) r.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var r = await Http.SendAsync(Signing.BinanceGet(us, "/sapi/v1/account/apiRestrictions", "", demo, Sim.NowMs()))) r.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var r = await Http.SendAsync(Signing.BinancePost(us, "/sapi/v1/asset/dust-btc", "", demo, Sim.NowMs()))) r.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var r = await Http.SendAsync(Signing.BinanceGet(Binance, "/sapi/v1/asset/query/dust-assets", "toAsset=USDT", Demo, Sim.NowMs()))) r.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var dust = await Http.JsonAsync(Signing.BinanceGet(us, "/sapi/v1/asset/query/dust-assets", "toAsset=USDT", demo, Sim.NowMs()));
        dust.Status.ShouldBe(200);
        dust.Body.GetProperty("convertibleAssets").EnumerateArray().Select(a => a.GetProperty("fromAsset").GetString()).ShouldContain("ADA");

        var info = await Http.GetJsonAsync(us + "/api/v3/exchangeInfo?symbol=BTCUSD");
        info.Body.GetProperty("symbols")[0].GetProperty("quoteAsset").GetString().ShouldBe("USD");
        // The US key is not valid on binance.com.
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", demo, Sim.NowMs())), 401, -2015);
    }

    [Fact]
    public async Task my_trades_requires_a_symbol_and_checks_limit_and_window()
    {
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", "", Demo, Sim.NowMs())),
            400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        var capped = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", "symbol=BTCUSDT&limit=5000", Sim.Account("binance", "load"), Sim.NowMs()));
        capped.Body.GetArrayLength().ShouldBe(1000, "spot caps limit at 1000");
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", "symbol=BTCUSDT&limit=0", Demo, Sim.NowMs())),
            400, -1130);
        var start = Sim.Options.DataEpoch.AddDays(-3).ToUnixTimeMilliseconds();
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades",
            $"symbol=BTCUSDT&startTime={start}&endTime={start + 86_400_001}", Demo, Sim.NowMs())),
            400, -1127, "More than 24 hours between startTime and endTime.");
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", "symbol=NOPE", Demo, Sim.NowMs())), 400, -1121);
    }

    [Fact]
    public async Task my_trades_default_to_the_most_recent_and_page_by_from_id_to_the_end()
    {
        var recent = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", "symbol=BTCUSDT&limit=10", Demo, Sim.NowMs()));
        recent.Body.GetArrayLength().ShouldBe(10);

        var ids = new List<long>();
        long fromId = 0;
        while (true)
        {
            var page = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", $"symbol=BTCUSDT&fromId={fromId}&limit=50", Demo, Sim.NowMs()));
            page.Status.ShouldBe(200);
            var pageIds = page.Body.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToList();
            ids.AddRange(pageIds);
            if (pageIds.Count < 50) break;
            fromId = pageIds[^1] + 1;
        }
        ids.Count.ShouldBe(120);
        ids.ShouldBe(ids.Order().ToList());
        ids.Distinct().Count().ShouldBe(120);
        recent.Body[9].GetProperty("id").GetInt64().ShouldBe(ids[^1], "the most recent page ends at the newest trade");

        var trade = recent.Body[0];
        trade.GetProperty("symbol").GetString().ShouldBe("BTCUSDT");
        trade.GetProperty("orderListId").GetInt64().ShouldBe(-1);
        trade.GetProperty("price").GetString()!.ShouldContain(".");
        trade.GetProperty("isBestMatch").GetBoolean().ShouldBeTrue();

        var byOrder = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades",
            $"symbol=BTCUSDT&orderId={trade.GetProperty("orderId").GetInt64()}", Demo, Sim.NowMs()));
        byOrder.Body.GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task my_trades_in_a_time_window_are_those_inside_it()
    {
        var end = Sim.Options.DataEpoch.ToUnixTimeMilliseconds();
        var start = end - 86_400_000;
        var window = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades",
            $"symbol=ETHUSDT&startTime={start}&endTime={end}&limit=1000", Demo, Sim.NowMs()));
        window.Status.ShouldBe(200);
        window.Body.GetArrayLength().ShouldBeGreaterThan(0);
        window.Body.EnumerateArray().ShouldAllBe(t => t.GetProperty("time").GetInt64() >= start && t.GetProperty("time").GetInt64() <= end);
    }

    [Fact]
    public async Task the_load_account_pages_through_its_large_generated_history()
    {
        var load = Sim.Account("binance", "load");
        long fromId = 0;
        var total = 0;
        long lastId = -1;
        while (true)
        {
            var page = await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", $"symbol=SOLUSDT&fromId={fromId}&limit=1000", load, Sim.NowMs()));
            var items = page.Body.EnumerateArray().ToList();
            total += items.Count;
            if (items.Count > 0)
            {
                items[0].GetProperty("id").GetInt64().ShouldBeGreaterThan(lastId);
                lastId = items[^1].GetProperty("id").GetInt64();
            }
            if (items.Count < 1000) break;
            fromId = lastId + 1;
        }
        total.ShouldBe((int)Math.Ceiling(Sim.Options.LoadAccountTrades * 0.15));
    }

    [Fact]
    public async Task unread_and_duplicate_parameters_are_refused_as_spot_refuses_them()
    {
        ShouldBeError(await Http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/myTrades", "symbol=BTCUSDT&since=5", Demo, Sim.NowMs())),
            400, -1104, "Not all sent parameters were read; read '3' parameter(s) but was sent '4'.");
        ShouldBeError(await Http.GetJsonAsync(Binance + "/api/v3/ticker/24hr?symbol=BTCUSDT&symbol=ETHUSDT"), 400, -1101);
    }

    [Fact]
    public async Task unknown_paths_are_404()
    {
        using var response = await Http.GetAsync(Binance + "/api/v3/nothing");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
