using Bitcain.Contracts.Market;
using Bitcain.ExchangeSimulator;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;

namespace Bitcain.Market.Tests;

[Collection(MarketCollection.Name)]
public sealed class MarketEndpointTests(MarketSuite fixture)
{
    private readonly Api _api = fixture.As("market-user");
    private RunningSimulator Sim => fixture.Sim;

    /// <summary>A forced health check younger than this is served from the cache (the endpoint is anonymous).</summary>
    private static Task WaitOutForcedIntervalAsync() => Task.Delay(ExchangeHealth.ExchangeHealthMonitor.MinForcedInterval + TimeSpan.FromMilliseconds(200));

    private async Task WarmMarketsAsync(string exchange)
    {
        var (status, body, _) = await _api.GetAsync($"/api/exchange/markets?exchange={exchange}");
        status.ShouldBe(200, body?.ToJsonString());
    }

    [Fact]
    public async Task markets_come_in_the_unified_structure_with_their_age()
    {
        var (status, body, _) = await _api.GetAsync("/api/exchange/markets?exchange=BINANCE");

        status.ShouldBe(200, body?.ToJsonString());
        body!["exchange"]!.GetValue<string>().ShouldBe("binance");
        var markets = body["markets"]!.AsArray();
        body["count"]!.GetValue<int>().ShouldBe(markets.Count);
        markets.Count.ShouldBeGreaterThan(1000);
        body["fetched_at"]!.GetValue<string>().ShouldEndWith("Z");
        var btc = markets.Single(m => m!["symbol"]!.GetValue<string>() == "BTC/USDT")!;
        btc["exchange_symbol"]!.GetValue<string>().ShouldBe("BTCUSDT");
        (btc["base"]!.GetValue<string>(), btc["quote"]!.GetValue<string>(), btc["active"]!.GetValue<bool>()).ShouldBe(("BTC", "USDT", true));
        btc["precision"]!["amount"]!.GetValue<decimal>().ShouldBeGreaterThan(0);
        btc["limits"]!["amount"]!["min"]!.GetValue<decimal>().ShouldBeGreaterThan(0);
        btc["limits"]!["cost"]!.AsObject().ContainsKey("max").ShouldBeTrue();
        btc["limits"]!["price"]!.AsObject().ContainsKey("min").ShouldBeTrue();
        btc["taker"]!.GetValue<decimal>().ShouldBe(0.001m);
        btc["maker"]!.GetValue<decimal>().ShouldBe(0.001m);
    }

    [Fact]
    public async Task a_second_markets_call_is_answered_from_the_cache()
    {
        await WarmMarketsAsync("binanceus");
        var before = Sim.Requests.Count("binanceus", "/api/v3/exchangeInfo");

        var (status, body, _) = await _api.GetAsync("/api/exchange/markets?exchange=binance_us");

        status.ShouldBe(200);
        body!["exchange"]!.GetValue<string>().ShouldBe("binanceus");
        Sim.Requests.Count("binanceus", "/api/v3/exchangeInfo").ShouldBe(before);
    }

    [Fact]
    public async Task markets_need_a_known_exchange_with_a_client()
    {
        var (missing, missingBody, _) = await _api.GetAsync("/api/exchange/markets");
        missing.ShouldBe(422);
        missingBody!["detail"]![0]!["loc"]!.ToJsonString().ShouldBe("""["query","exchange"]""");

        var (unknown, unknownBody, _) = await _api.GetAsync("/api/exchange/markets?exchange=mtgox");
        unknown.ShouldBe(422);
        unknownBody!["detail"]![0]!["msg"]!.GetValue<string>().ShouldContain("mtgox");

        // Coinbase, the last of the nine to get a client, is served like the others now.
        var (coinbase, coinbaseBody, _) = await _api.GetAsync("/api/exchange/markets?exchange=coinbase");
        coinbase.ShouldBe(200, coinbaseBody?.ToJsonString());
        coinbaseBody!.ToJsonString().ShouldContain("BTC-USD");

        (await fixture.As(null).GetAsync("/api/exchange/markets?exchange=binance")).Status.ShouldBe(401);
    }

    [Theory]
    [InlineData("BTC/USDT")]
    [InlineData("BTCUSDT")]
    [InlineData("BTC-USDT")]
    [InlineData("btc_usdt")]
    public async Task a_ticker_is_found_however_the_symbol_is_written(string symbol)
    {
        var (status, body, _) = await _api.GetAsync($"/api/exchange/ticker?exchange=binance&symbol={Uri.EscapeDataString(symbol)}");

        status.ShouldBe(200, body?.ToJsonString());
        body!["symbol"]!.GetValue<string>().ShouldBe("BTC/USDT");
        body["exchange_symbol"]!.GetValue<string>().ShouldBe("BTCUSDT");
        body["exchange"]!.GetValue<string>().ShouldBe("binance");
        foreach (var field in new[] { "bid", "ask", "last", "open", "high", "low", "base_volume", "quote_volume", "change", "change_percent" })
            body.AsObject().ContainsKey(field).ShouldBeTrue(field);
        body["bid"]!.GetValue<decimal>().ShouldBeLessThanOrEqualTo(body["ask"]!.GetValue<decimal>());
        body["timestamp"]!.GetValue<string>().ShouldEndWith("Z");
    }

    [Fact]
    public async Task kraken_tickers_speak_common_asset_codes()
    {
        var (status, body, _) = await _api.GetAsync("/api/exchange/ticker?exchange=kraken&symbol=XBT/USD");

        status.ShouldBe(200, body?.ToJsonString());
        body!["symbol"]!.GetValue<string>().ShouldBe("BTC/USD");
    }

    [Fact]
    public async Task an_unknown_symbol_is_a_404_that_names_it_without_asking_the_exchange()
    {
        await WarmMarketsAsync("binance");
        var before = Sim.Requests.Count("binance", "/api/v3/ticker/24hr");

        var (status, body, _) = await _api.GetAsync("/api/exchange/ticker?exchange=binance&symbol=NOPE/USDT");

        status.ShouldBe(404);
        body!["detail"]!.GetValue<string>().ShouldBe("Symbol 'NOPE/USDT' is not listed on binance");
        Sim.Requests.Count("binance", "/api/v3/ticker/24hr").ShouldBe(before);
    }

    [Fact]
    public async Task a_second_ticker_call_within_its_lifetime_makes_no_exchange_request()
    {
        await WarmMarketsAsync("binance");
        var before = Sim.Requests.Count("binance", "/api/v3/ticker/24hr");

        var first = await _api.GetAsync("/api/exchange/ticker?exchange=binance&symbol=ETH/USDT");
        var second = await _api.GetAsync("/api/exchange/ticker?exchange=binance&symbol=ETHUSDT");

        (first.Status, second.Status).ShouldBe((200, 200));
        second.Body!["last"]!.GetValue<decimal>().ShouldBe(first.Body!["last"]!.GetValue<decimal>());
        Sim.Requests.Count("binance", "/api/v3/ticker/24hr").ShouldBe(before + 1);
    }

    [Fact]
    public async Task concurrent_identical_ticker_requests_share_one_exchange_call()
    {
        await WarmMarketsAsync("binance");
        var slow = Sim.Faults.AddLatency("binance", TimeSpan.FromMilliseconds(400), "/api/v3/ticker/24hr");
        var before = Sim.Requests.Count("binance", "/api/v3/ticker/24hr");
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _api.GetAsync("/api/exchange/ticker?exchange=binance&symbol=SOL/USDT")));

            answers.ShouldAllBe(a => a.Status == 200);
            Sim.Requests.Count("binance", "/api/v3/ticker/24hr").ShouldBe(before + 1);
        }
        finally
        {
            Sim.Faults.Remove(slow);
        }
    }

    [Fact]
    public async Task a_rate_limited_exchange_is_a_503_with_retry_after()
    {
        await WarmMarketsAsync("binance");
        // Longer than the client's own patience (10 s), so it is handed back instead of waited out.
        var fault = Sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "binance", Path = "/api/v3/ticker/24hr", RetryAfterSeconds = 11 });
        // The 429 reports the minute's weight as used up (limit + 1), which rightly stops the client until the next
        // minute; a tiny limit makes that report small, so only the Retry-After back-off outlives this test.
        var weight = Sim.Options.Binance.RequestWeightPerMinute;
        Sim.Options.Binance.RequestWeightPerMinute = 1;
        try
        {
            var (status, body, response) = await _api.GetAsync("/api/exchange/ticker?exchange=binance&symbol=XRP/USDT");

            status.ShouldBe(503, body?.ToJsonString());
            body!["detail"]!.GetValue<string>().ShouldContain("rate limiting");
            response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBe(11);
        }
        finally
        {
            Sim.Faults.Remove(fault);
            Sim.Options.Binance.RequestWeightPerMinute = weight;
            // The client honours the exchange's back-off for everyone in the process: let it pass for the next tests.
            await Task.Delay(TimeSpan.FromSeconds(11.5));
        }
    }

    [Fact]
    public async Task health_needs_no_token_and_reports_every_exchange_honestly()
    {
        var anonymous = fixture.As(null);
        var (status, body, _) = await anonymous.GetAsync("/api/exchange/health?force_refresh=true");

        status.ShouldBe(200, body?.ToJsonString());
        body!["status"]!.GetValue<string>().ShouldBe("ok");
        var binance = body["exchanges"]!["binance"]!;
        binance["status"]!.GetValue<string>().ShouldBe("ok");
        binance["latency_ms"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        binance["checked_at"]!.GetValue<string>().ShouldEndWith("Z");
        binance["cached"]!.GetValue<bool>().ShouldBeFalse();
        binance.AsObject().ContainsKey("error").ShouldBeTrue();
        body["exchanges"]!["coinbase"]!["status"]!.GetValue<string>().ShouldBe("ok");
    }

    [Fact]
    public async Task health_is_cached_unless_a_refresh_is_forced()
    {
        var anonymous = fixture.As(null);
        await anonymous.GetAsync("/api/exchange/kraken/health?force_refresh=true");
        var before = Sim.Requests.Count("kraken", "/0/public/SystemStatus");

        var (status, cached, _) = await anonymous.GetAsync("/api/exchange/KRAKEN/health");
        status.ShouldBe(200, cached?.ToJsonString());
        cached!["cached"]!.GetValue<bool>().ShouldBeTrue();
        cached["exchange"]!.GetValue<string>().ShouldBe("kraken");
        Sim.Requests.Count("kraken", "/0/public/SystemStatus").ShouldBe(before);

        await WaitOutForcedIntervalAsync();
        var (_, forced, _) = await anonymous.GetAsync("/api/exchange/kraken/health?force_refresh=true");
        forced!["cached"]!.GetValue<bool>().ShouldBeFalse();
        Sim.Requests.Count("kraken", "/0/public/SystemStatus").ShouldBe(before + 1);

        (await anonymous.GetAsync("/api/exchange/mtgox/health")).Status.ShouldBe(404);
        (await anonymous.GetAsync("/api/exchange/kraken/health?force_refresh=maybe")).Status.ShouldBe(422);
    }

    [Fact]
    public async Task concurrent_health_checks_share_one_exchange_call()
    {
        var anonymous = fixture.As(null);
        var slow = Sim.Faults.AddLatency("binanceus", TimeSpan.FromMilliseconds(400), "/sapi/v1/system/status");
        var before = Sim.Requests.Count("binanceus", "/sapi/v1/system/status");
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => anonymous.GetAsync("/api/exchange/binanceus/health?force_refresh=true")));

            answers.ShouldAllBe(a => a.Status == 200);
            Sim.Requests.Count("binanceus", "/sapi/v1/system/status").ShouldBe(before + 1);
        }
        finally
        {
            Sim.Faults.Remove(slow);
        }
    }

    [Fact]
    public async Task an_exchange_that_is_down_fails_alone_and_its_outage_is_recorded()
    {
        var anonymous = fixture.As(null);
        await anonymous.GetAsync("/api/exchange/kraken/health?force_refresh=true");
        var fault = Sim.Faults.Add(new Fault(FaultKind.ServerError) { Exchange = "kraken", StatusCode = 503 });
        await WaitOutForcedIntervalAsync();
        try
        {
            var (_, health, _) = await anonymous.GetAsync("/api/exchange/health?force_refresh=true");
            health!["status"]!.GetValue<string>().ShouldBe("degraded");
            health["exchanges"]!["kraken"]!["status"]!.GetValue<string>().ShouldBe("down");
            health["exchanges"]!["kraken"]!["error"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            health["exchanges"]!["binance"]!["status"]!.GetValue<string>().ShouldBe("ok");

            var (tickerStatus, tickerBody, _) = await _api.GetAsync("/api/exchange/ticker?exchange=kraken&symbol=ETH/EUR");
            tickerStatus.ShouldBeOneOf(502, 503, 504);
            tickerBody!["detail"]!.GetValue<string>().ShouldContain("kraken");

            (await _api.GetAsync("/api/exchange/ticker?exchange=binance&symbol=DOGE/USDT")).Status.ShouldBe(200);
            var (routeStatus, routes, _) = await _api.GetAsync("/api/exchange/route?base=BTC&quote=USDT");
            routeStatus.ShouldBe(200, routes?.ToJsonString());
            routes!["routes"]!.AsArray().ShouldContain(r => r!["exchange"]!.GetValue<string>() == "binance");
        }
        finally
        {
            Sim.Faults.Remove(fault);
        }
        await WaitOutForcedIntervalAsync();
        (await anonymous.GetAsync("/api/exchange/kraken/health?force_refresh=true")).Body!["status"]!.GetValue<string>().ShouldBe("ok");

        using var scope = fixture.Suite.Market.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var recorded = await bus.InvokeAsync<ExchangeHealthEvents>(new GetExchangeHealthEvents("kraken", null, null, 2, 0));
        recorded.Events.Select(e => (e.From, e.To)).ShouldBe([("down", "ok"), ("ok", "down")]);
        recorded.Events.ShouldAllBe(e => e.Exchange == "kraken" && e.EventType == "exchange_health_changed.v1");
        recorded.Events[1].Error.ShouldNotBeNullOrEmpty();
        (await bus.InvokeAsync<ExchangeHealthEvents>(new GetExchangeHealthEvents("kraken", DateTimeOffset.UtcNow.AddDays(1), null))).TotalRecords.ShouldBe(0);
    }

    [Fact]
    public async Task exchange_info_describes_the_exchange_as_this_deployment_reaches_it()
    {
        var (status, body, _) = await _api.GetAsync("/api/exchange/Binance/info");

        status.ShouldBe(200, body?.ToJsonString());
        body!["id"]!.GetValue<string>().ShouldBe("binance");
        body["name"]!.GetValue<string>().ShouldBe("Binance");
        body["website"]!.GetValue<string>().ShouldBe("https://www.binance.com");
        body["api_base_url"]!.GetValue<string>().ShouldBe(Sim.BaseUrl("binance"));
        body["rate_limits"]!.AsArray().ShouldContain(r => r!["type"]!.GetValue<string>() == "request_weight" && r["limit"]!.GetValue<int>() == 6000);
        (body["maker_fee"]!.GetValue<decimal>(), body["taker_fee"]!.GetValue<decimal>()).ShouldBe((0.001m, 0.001m));
        body["features"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldContain("bnb_burn");
        body["health"]!["status"]!.GetValue<string>().ShouldBeOneOf("ok", "degraded", "down");

        var (coinbase, coinbaseBody, _) = await _api.GetAsync("/api/exchange/coinbase/info");
        coinbase.ShouldBe(200);
        coinbaseBody!["has_client"]!.GetValue<bool>().ShouldBeTrue();
        coinbaseBody["features"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(["health", "markets", "ticker", "balances", "trades", "key_permissions"]);

        (await _api.GetAsync("/api/exchange/mtgox/info")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task routes_across_exchanges_are_ranked_and_marked_connected_for_the_callers_exchanges()
    {
        var user = fixture.As("route-user-" + Guid.NewGuid().ToString("N")[..6]);
        var stored = await user.PostAsync("/api/exchange/credentials",
            """{"exchange_name":"kraken","credential_name":"Main","api_key":"routekey-123456","api_secret":"routesecret-123456"}""");
        stored.Status.ShouldBe(201, stored.Body?.ToJsonString());

        var (status, body, _) = await user.GetAsync("/api/exchange/route?base=btc&quote=USDT");

        status.ShouldBe(200, body?.ToJsonString());
        (body!["base"]!.GetValue<string>(), body["quote"]!.GetValue<string>()).ShouldBe(("BTC", "USDT"));
        var routes = body["routes"]!.AsArray();
        body["count"]!.GetValue<int>().ShouldBe(routes.Count);
        routes[0]!["legs"]!.AsArray().Count.ShouldBe(1);
        routes.Select(r => r!["legs"]!.AsArray().Count).ShouldBeInOrder();
        var direct = routes.First(r => r!["exchange"]!.GetValue<string>() == "binance" && r["type"]!.GetValue<string>() == "direct")!;
        var leg = direct["legs"]![0]!;
        (leg["symbol"]!.GetValue<string>(), leg["side"]!.GetValue<string>(), leg["exchange"]!.GetValue<string>()).ShouldBe(("BTC/USDT", "sell", "binance"));
        leg["min_amount"]!.GetValue<decimal>().ShouldBeGreaterThan(0);
        leg.AsObject().ContainsKey("min_cost").ShouldBeTrue();
        leg["taker_fee"]!.GetValue<decimal>().ShouldBe(0.001m);
        direct["estimated_fee"]!.GetValue<decimal>().ShouldBe(0.001m);
        routes.ShouldContain(r => r!["type"]!.GetValue<string>() == "two_leg");
        routes.Where(r => r!["exchange"]!.GetValue<string>() == "kraken").ShouldAllBe(r => r!["connected"]!.GetValue<bool>());
        routes.Where(r => r!["exchange"]!.GetValue<string>() != "kraken").ShouldAllBe(r => !r!["connected"]!.GetValue<bool>());
        routes.ShouldContain(r => r!["exchange"]!.GetValue<string>() == "kraken");
    }

    [Fact]
    public async Task a_size_drops_the_routes_it_cannot_pass()
    {
        var (_, all, _) = await _api.GetAsync("/api/exchange/route?base=BTC&quote=USDT");
        var (status, tiny, _) = await _api.GetAsync("/api/exchange/route?base=BTC&quote=USDT&size=0.00000001");

        status.ShouldBe(200, tiny?.ToJsonString());
        tiny!["routes"]!.AsArray().Count.ShouldBeLessThan(all!["routes"]!.AsArray().Count);
        var (_, small, _) = await _api.GetAsync("/api/exchange/route?base=BTC&quote=USDT&quote_size=0.01");
        small!["routes"]!.AsArray().Count.ShouldBeLessThan(all["routes"]!.AsArray().Count);
    }

    [Fact]
    public async Task route_parameters_are_validated()
    {
        (await _api.GetAsync("/api/exchange/route?base=BTC&quote=btc")).Status.ShouldBe(400);
        var (missing, body, _) = await _api.GetAsync("/api/exchange/route?quote=USDT");
        missing.ShouldBe(422);
        body!["detail"]![0]!["loc"]!.ToJsonString().ShouldBe("""["query","base"]""");
        var (empty, emptyBody, _) = await _api.GetAsync("/api/exchange/route?base=&quote=USDT");
        empty.ShouldBe(422);
        emptyBody!["detail"]![0]!["type"]!.GetValue<string>().ShouldBe("string_too_short");
        var (zero, zeroBody, _) = await _api.GetAsync("/api/exchange/route?base=BTC&quote=USDT&size=0");
        zero.ShouldBe(422);
        zeroBody!["detail"]![0]!["type"]!.GetValue<string>().ShouldBe("greater_than");
        (await _api.GetAsync("/api/exchange/route?base=BTC&quote=USDT&quote_size=abc")).Status.ShouldBe(422);
    }

    [Fact]
    public async Task supported_exchanges_still_answer()
    {
        var (status, body, _) = await _api.GetAsync("/api/exchange/supported");
        status.ShouldBe(200);
        body!["count"]!.GetValue<int>().ShouldBe(9);
    }
}
