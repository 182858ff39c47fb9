using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class AdminTests : IAsyncLifetime
{
    private RunningSimulator _sim = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _sim = await SimulatorHost.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task requests_are_counted_per_exchange_and_endpoint_in_process_and_over_http()
    {
        await _http.GetAsync(_sim.BaseUrl("binance") + "/api/v3/exchangeInfo?symbol=BTCUSDT");
        await _http.GetAsync(_sim.BaseUrl("binance") + "/api/v3/exchangeInfo");
        await _http.GetAsync(_sim.BaseUrl("kraken") + "/0/public/Time");
        await _http.GetAsync(new Uri(_sim.Root, "__sim/accounts"));

        _sim.Requests.Count("binance", "/api/v3/exchangeInfo").ShouldBe(2);
        _sim.Requests.Count("binance", "GET", "/api/v3/exchangeInfo").ShouldBe(2);
        _sim.Requests.Count("binanceus", "/api/v3/exchangeInfo").ShouldBe(0);
        _sim.Requests.Total("kraken").ShouldBe(1);
        _sim.Requests.Total().ShouldBe(3, "admin calls are not exchange requests");

        var listed = await _http.GetJsonAsync(new Uri(_sim.Root, "__sim/requests").ToString());
        listed.Body.EnumerateArray().ShouldContain(r =>
            r.GetProperty("exchange").GetString() == "binance" && r.GetProperty("path").GetString() == "/api/v3/exchangeInfo"
            && r.GetProperty("count").GetInt64() == 2);

        using var reset = await _http.DeleteAsync(new Uri(_sim.Root, "__sim/requests"));
        reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        _sim.Requests.Total().ShouldBe(0);
    }

    [Fact]
    public async Task accounts_lists_every_seeded_key_with_its_permissions()
    {
        (await _http.GetJsonAsync(new Uri(_sim.Root, "__sim/health").ToString())).Body.GetProperty("status").GetString().ShouldBe("ok");
        var accounts = await _http.GetJsonAsync(new Uri(_sim.Root, "__sim/accounts").ToString());
        var list = accounts.Body.EnumerateArray().ToList();
        list.Count.ShouldBe(3 * _sim.Exchanges.Count + 1 + 4); // three per exchange, Coinbase's Ed25519 key, and issue #14's four Binance accounts
        foreach (var (exchange, name) in new[] { ("binance", "sold-out"), ("binance", "wide"), ("binance", "late-pair"), ("binanceus", "spent-quote") })
            list.ShouldContain(a => a.GetProperty("exchange").GetString() == exchange && a.GetProperty("name").GetString() == name);
        // Which exchanges the simulator has is checked against Bitcain's exchange modules in Bitcain.Exchanges.Tests.
        foreach (var exchange in _sim.Exchanges)
            foreach (var name in new[] { "demo", "readonly", "load" })
                list.ShouldContain(a => a.GetProperty("exchange").GetString() == exchange && a.GetProperty("name").GetString() == name);
        var demo = list.Single(a => a.GetProperty("exchange").GetString() == "binance" && a.GetProperty("name").GetString() == "demo");
        demo.GetProperty("api_key").GetString().ShouldBe(SeededKeys.BinanceDemoKey);
        demo.GetProperty("api_secret").GetString().ShouldBe(SeededKeys.BinanceDemoSecret);
        demo.GetProperty("passphrase").ValueKind.ShouldBe(JsonValueKind.Null);
        demo.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["read", "trade"]);
        _sim.Account("kraken", "readonly").Permissions.ShouldBe(["read"]);
        list.Single(a => a.GetProperty("exchange").GetString() == "okx" && a.GetProperty("name").GetString() == "demo")
            .GetProperty("passphrase").GetString().ShouldBe(SeededKeys.OkxDemoPassphrase);
        list.Single(a => a.GetProperty("exchange").GetString() == "coinbase" && a.GetProperty("name").GetString() == "demo-ed25519")
            .GetProperty("api_secret").GetString().ShouldBe(SeededKeys.CoinbaseEd25519Secret);
        _sim.Account("coinbase", "demo").ApiSecret.ShouldStartWith("-----BEGIN EC PRIVATE KEY-----\n");
    }

    [Fact]
    public async Task counts_are_exact_under_concurrent_load_and_reset_clears_them()
    {
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => _http.GetAsync(_sim.BaseUrl("binanceus") + "/api/v3/ping")));
        _sim.Requests.Count("binanceus", "/api/v3/ping").ShouldBe(64);
        _sim.Reset();
        _sim.Requests.Total().ShouldBe(0);
    }

    [Fact]
    public async Task limits_can_be_lowered_over_http()
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(_sim.Root, "__sim/options"))
        {
            Content = JsonContent.Create(new { binance_request_weight_per_minute = 1 }),
        };
        using var patched = await _http.SendAsync(patch);
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        _sim.Options.Binance.RequestWeightPerMinute.ShouldBe(1);
        var options = await _http.GetJsonAsync(new Uri(_sim.Root, "__sim/options").ToString());
        options.Body.GetProperty("kraken_max_counter").GetDouble().ShouldBe(20);

        await _http.GetAsync(_sim.BaseUrl("binance") + "/api/v3/ping");
        using var over = await _http.GetAsync(_sim.BaseUrl("binance") + "/api/v3/ping");
        // The weight window is a calendar minute; a rollover between the two calls would restart the count at 1.
        var used = over.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single();
        if (used == "2") over.StatusCode.ShouldBe((HttpStatusCode)429);
        else used.ShouldBe("1");
        using var reset = await _http.PostAsync(new Uri(_sim.Root, "__sim/reset"), null);
        reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task base_urls_name_the_exchange_prefix_and_two_simulators_serve_identical_data()
    {
        _sim.BaseUrl("binance").ShouldBe($"http://127.0.0.1:{_sim.Root.Port}/binance");
        Should.Throw<ArgumentException>(() => _sim.BaseUrl("mtgox"));
        await using var other = await SimulatorHost.StartAsync();
        other.Root.Port.ShouldNotBe(_sim.Root.Port);
        var a = await _http.GetStringAsync(_sim.BaseUrl("kraken") + "/0/public/AssetPairs");
        var b = await _http.GetStringAsync(other.BaseUrl("kraken") + "/0/public/AssetPairs");
        a.ShouldBe(b);
    }
}
