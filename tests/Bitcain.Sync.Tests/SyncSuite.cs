using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Bitcain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Bitcain.Sync.Tests;

/// <summary>
/// The exchange simulator first, then the whole suite pointed at it: the services read
/// <c>Exchanges__&lt;id&gt;__BaseUrl</c> when their hosts are built.
/// </summary>
public sealed class SyncSuite : IAsyncLifetime
{
    public const int LoadTrades = 100_000;
    public RunningSimulator Simulator { get; private set; } = null!;
    public BitcainSuite Suite { get; } = new();
    public IAlbaHost Gateway => Suite.Gateway;

    public async Task InitializeAsync()
    {
        var options = new SimulatorOptions { LoadAccountTrades = LoadTrades };
        // Kraken's higher verification tier drains its call counter faster; the client is told the same.
        options.Kraken.DecayPerSecond = 3;
        Environment.SetEnvironmentVariable("Exchanges__kraken__RateDecayPerSecond", "3");
        // A first symbol-less Binance sync walks every market trading an asset the account had (up to ~2,000 myTrades
        // calls of weight 20): minutes at the real per-IP budget. The suite raises the budget on both sides to stay short;
        // the limiters themselves are tested apart, and the budget-cut test lowers it again.
        options.Binance.RequestWeightPerMinute = 10_000_000;
        options.Binance.SapiIpWeightPerMinute = 10_000_000;
        foreach (var binance in new[] { "binance", "binanceus" })
            Environment.SetEnvironmentVariable($"Exchanges__{binance}__RateLimit", "10000000");
        // Syncs of 100k trades take longer than a query; the suite's 6 s service wait is for queries.
        Environment.SetEnvironmentVariable("Gateway__SyncWaitSeconds", "120");
        Simulator = await SimulatorHost.StartAsync(options);
        foreach (var exchange in Simulator.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", Simulator.BaseUrl(exchange));
        await Suite.InitializeAsync();
        // Compile each sync handler once here (seconds on a busy machine) rather than inside a test's wait.
        var warmUp = new User(this, "sync-warm-up");
        foreach (var url in new[] { "/api/exchange/trades/sync?exchange=kraken", "/api/exchange/balance/sync?exchange=kraken" })
            for (var i = 0; i < 5 && (await warmUp.PostAsync(url)).Status != 200; i++) { }
        foreach (var url in new[] { "/api/exchange/trades?exchange=kraken", "/api/exchange/trades/stats", "/api/exchange/balance?exchange=kraken",
                     "/api/exchange/balance/history?exchange=kraken&currency=BTC", "/api/exchange/dust-assets?exchange=binance" })
            await warmUp.GetAsync(url);
    }

    /// <summary>The exchange client the sync service uses, to read what the simulator serves an account.</summary>
    public IExchangeClient Client(string exchange) => Suite.Sync.Services.GetRequiredService<IExchangeClients>().Get(exchange);

    public static ExchangeApiCredentials Keys(SimulatedAccount a) => new(a.ApiKey, a.ApiSecret, a.Passphrase);

    /// <summary>Every trade the simulator serves the account, read page by page with the exchange client itself.</summary>
    public async Task<List<Trade>> ServedAsync(SimulatedAccount account, IEnumerable<string?> symbols)
    {
        var trades = new List<Trade>();
        foreach (var symbol in symbols)
            await foreach (var page in Client(account.Exchange).GetMyTradesAsync(Keys(account), new MyTradesQuery(symbol, PageSize: 1000)))
                trades.AddRange(page.Trades);
        return trades;
    }

    /// <summary>The user's stored trades as <c>EXCHANGESYMBOL:id</c>, read from the table itself.</summary>
    public async Task<HashSet<string>> StoredTradeKeysAsync(string user)
    {
        await using var conn = new Npgsql.NpgsqlConnection(Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT exchange_symbol || ':' || exchange_trade_id FROM sync.trades WHERE tenant_id = $1", conn)
        {
            Parameters = { new() { Value = user } },
        };
        var keys = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    /// <summary>How many events of one stored type (<c>sync.sync_failed.v1</c>) the user's streams hold.</summary>
    public async Task<long> EventCountAsync(string user, string type)
    {
        await using var conn = new Npgsql.NpgsqlConnection(Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM sync.mt_events WHERE tenant_id = $1 AND type = $2", conn)
        {
            Parameters = { new() { Value = user }, new() { Value = type } },
        };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        // Kept for a failed run: what the services said, secrets never among it (they never log them).
        var log = Environment.GetEnvironmentVariable("BITCAIN_SYNC_TEST_LOG");
        if (log is not null) await File.WriteAllLinesAsync(log, Suite.Logs.Lines);
        await Suite.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SyncCollection : ICollectionFixture<SyncSuite>
{
    public const string Name = "sync suite";
}

/// <summary>A user of the gateway: raw HTTP with a bearer token.</summary>
public sealed class User(SyncSuite suite, string? id = null)
{
    public string Id { get; } = id ?? "user-" + Guid.NewGuid().ToString("N")[..12];
    private readonly HttpClient _http = suite.Gateway.Server.CreateClient();

    public async Task<(int Status, JsonNode Body)> SendAsync(HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Id));
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!);
    }

    public Task<(int Status, JsonNode Body)> GetAsync(string url) => SendAsync(HttpMethod.Get, url);
    public Task<(int Status, JsonNode Body)> PostAsync(string url, object? body = null) => SendAsync(HttpMethod.Post, url, body);

    /// <summary>Stores the simulator account's key as this user's credential; returns its id.</summary>
    public async Task<Guid> ConnectAsync(SimulatedAccount account, string? secret = null, string name = "Main")
    {
        var (status, body) = await PostAsync("/api/exchange/credentials", new Dictionary<string, object?>
        {
            ["exchange_name"] = account.Exchange,
            ["credential_name"] = name,
            ["api_key"] = account.ApiKey,
            ["api_secret"] = secret ?? account.ApiSecret,
            ["permissions"] = account.Permissions,
            ["api_passphrase"] = account.Passphrase,
        });
        status.ShouldBe(201, body.ToJsonString());
        return Guid.Parse((string)body["id"]!);
    }

    public async Task<JsonNode> SyncTradesAsync(string exchange, string query = "")
    {
        var (status, body) = await PostAsync($"/api/exchange/trades/sync?exchange={exchange}{query}");
        status.ShouldBe(200, body.ToJsonString());
        return body;
    }
}
