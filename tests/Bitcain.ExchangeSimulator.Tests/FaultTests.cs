using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>Each test starts its own simulator so a fault never leaks into another test.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private RunningSimulator _sim = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _sim = await SimulatorHost.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    private string Binance => _sim.BaseUrl("binance");
    private string Kraken => _sim.BaseUrl("kraken");

    [Fact]
    public async Task latency_delays_the_normal_answer()
    {
        _sim.Faults.AddLatency("binance", TimeSpan.FromMilliseconds(400), "/api/v3/time");
        var watch = Stopwatch.StartNew();
        var answer = await _http.GetJsonAsync(Binance + "/api/v3/time");
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(380));
        answer.Body.GetProperty("serverTime").GetInt64().ShouldBeGreaterThan(0);
        watch.Restart();
        await _http.GetJsonAsync(Binance + "/api/v3/ping");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(380), "other paths are not delayed");
    }

    [Fact]
    public async Task rate_limit_fault_answers_429_with_retry_after_on_binance_and_the_kraken_error_on_kraken()
    {
        _sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "binance", RetryAfterSeconds = 7 });
        using var response = await _http.GetAsync(Binance + "/api/v3/exchangeInfo");
        response.StatusCode.ShouldBe((HttpStatusCode)429);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32().ShouldBe(-1003);

        _sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "binance", Path = "/sapi/*" });
        using (var sapi = await _http.GetAsync(Binance + "/sapi/v1/system/status"))
        {
            sapi.StatusCode.ShouldBe((HttpStatusCode)429);
            sapi.Headers.Contains("X-SAPI-USED-IP-WEIGHT-1M").ShouldBeTrue();
        }

        _sim.Faults.Add(FaultKind.RateLimited, "kraken", "/0/private/Balance");
        var kraken = await _http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", _sim.Account("kraken", "demo"), 1));
        kraken.Status.ShouldBe(200);
        kraken.Body.GetProperty("error")[0].GetString().ShouldBe("EAPI:Rate limit exceeded");
    }

    [Fact]
    public async Task server_error_answers_5xx()
    {
        _sim.Faults.Add(new Fault(FaultKind.ServerError) { Exchange = "binance", Path = "/api/v3/time", Times = 1 });
        var failed = await _http.GetJsonAsync(Binance + "/api/v3/time");
        failed.Status.ShouldBe(500);
        failed.Body.GetProperty("code").GetInt32().ShouldBe(-1001);
        (await _http.GetJsonAsync(Binance + "/api/v3/time")).Status.ShouldBe(200, "Times = 1 lets the next request through");

        _sim.Faults.Add(new Fault(FaultKind.ServerError) { Exchange = "kraken", StatusCode = 503 });
        using var kraken = await _http.GetAsync(Kraken + "/0/public/Time");
        kraken.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task maintenance_shows_in_status_endpoints_and_refuses_everything_else()
    {
        _sim.Faults.Add(FaultKind.Maintenance, "binance");
        var status = await _http.GetJsonAsync(Binance + "/sapi/v1/system/status");
        status.Status.ShouldBe(200);
        status.Body.GetProperty("status").GetInt32().ShouldBe(1);
        var refused = await _http.GetJsonAsync(Binance + "/api/v3/exchangeInfo");
        refused.Status.ShouldBe(503);
        refused.Body.GetProperty("code").GetInt32().ShouldBe(-1016);

        _sim.Faults.Add(FaultKind.Maintenance, "kraken");
        var krakenStatus = await _http.GetJsonAsync(Kraken + "/0/public/SystemStatus");
        krakenStatus.Body.GetProperty("result").GetProperty("status").GetString().ShouldBe("maintenance");
        var krakenRefused = await _http.GetJsonAsync(Kraken + "/0/public/Ticker?pair=XBTUSD");
        krakenRefused.Status.ShouldBe(200);
        krakenRefused.Body.GetProperty("error")[0].GetString().ShouldBe("EService:Unavailable");

        (await _http.GetJsonAsync(_sim.BaseUrl("binanceus") + "/sapi/v1/system/status")).Body.GetProperty("status").GetInt32()
            .ShouldBe(0, "faults are per exchange");
    }

    [Fact]
    public async Task malformed_json_is_a_200_that_does_not_parse()
    {
        _sim.Faults.Add(FaultKind.MalformedJson, "kraken", "/0/public/AssetPairs");
        using var response = await _http.GetAsync(Kraken + "/0/public/AssetPairs");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldStartWith("{\"error\":[],\"result\":{");
        Should.Throw<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task drop_connection_aborts_without_an_answer()
    {
        _sim.Faults.Add(FaultKind.DropConnection, "binance", "/api/v3/ping");
        await Should.ThrowAsync<HttpRequestException>(() => _http.GetAsync(Binance + "/api/v3/ping"));
        (await _http.GetJsonAsync(Binance + "/api/v3/time")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task drop_response_carries_the_request_out_and_then_aborts()
    {
        var demo = _sim.Account("binance", "demo");
        _sim.Faults.Add(new Fault(FaultKind.DropResponse) { Exchange = "binance", Path = "/sapi/v1/bnbBurn", Times = 1 });
        await Should.ThrowAsync<HttpRequestException>(() =>
            _http.SendAsync(Signing.BinancePost(Binance, "/sapi/v1/bnbBurn", "spotBNBBurn=false", demo, _sim.NowMs())));
        var state = await _http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/bnbBurn", "", demo, _sim.NowMs()));
        state.Body.GetProperty("spotBNBBurn").GetBoolean().ShouldBeFalse("the change was made although its answer was lost");
    }

    [Fact]
    public async Task drop_connection_happens_before_the_exchange_acts()
    {
        var demo = _sim.Account("binance", "demo");
        _sim.Faults.Add(new Fault(FaultKind.DropConnection) { Exchange = "binance", Path = "/sapi/v1/bnbBurn", Times = 1 });
        await Should.ThrowAsync<HttpRequestException>(() =>
            _http.SendAsync(Signing.BinancePost(Binance, "/sapi/v1/bnbBurn", "spotBNBBurn=false", demo, _sim.NowMs())));
        var state = await _http.JsonAsync(Signing.BinanceGet(Binance, "/sapi/v1/bnbBurn", "", demo, _sim.NowMs()));
        state.Body.GetProperty("spotBNBBurn").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task a_fault_for_one_account_leaves_the_others_alone()
    {
        var readOnly = _sim.Account("binance", "readonly");
        var demo = _sim.Account("binance", "demo");
        _sim.Faults.Add(FaultKind.ServerError, "binance", account: readOnly);
        (await _http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", readOnly, _sim.NowMs()))).Status.ShouldBe(500);
        (await _http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", demo, _sim.NowMs()))).Status.ShouldBe(200);
        _sim.Faults.Clear();
        (await _http.JsonAsync(Signing.BinanceGet(Binance, "/api/v3/account", "", readOnly, _sim.NowMs()))).Status.ShouldBe(200);
    }

    [Fact]
    public async Task faults_are_switched_over_http_too()
    {
        using var created = await _http.PostAsJsonAsync(new Uri(_sim.Root, "__sim/faults"),
            new { exchange = "kraken", account = "demo", kind = "maintenance", path = "/0/private/*" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var listed = await _http.GetJsonAsync(new Uri(_sim.Root, "__sim/faults").ToString());
        listed.Body[0].GetProperty("id").GetInt64().ShouldBe(id);
        listed.Body[0].GetProperty("api_key").GetString().ShouldBe(_sim.Account("kraken", "demo").ApiKey);

        var refused = await _http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", _sim.Account("kraken", "demo"), 1));
        refused.Body.GetProperty("error")[0].GetString().ShouldBe("EService:Unavailable");

        using var second = await _http.PostAsJsonAsync(new Uri(_sim.Root, "__sim/faults"), new { exchange = "binance", kind = "latency", latency_ms = 10 });
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var removed = await _http.DeleteAsync(new Uri(_sim.Root, $"__sim/faults/{secondId}"));
        removed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        _sim.Faults.Active.Select(f => f.Id).ShouldBe([id]);

        using var bad = await _http.PostAsJsonAsync(new Uri(_sim.Root, "__sim/faults"), new { exchange = "kraken", kind = "meteor" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var cleared = await _http.DeleteAsync(new Uri(_sim.Root, "__sim/faults"));
        cleared.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var served = await _http.JsonAsync(Signing.KrakenPost(Kraken, "/0/private/Balance", _sim.Account("kraken", "demo"), 2));
        served.Body.GetProperty("error").GetArrayLength().ShouldBe(0);
    }
}
