using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bitcain.ExchangeSimulator;
using Bitcain.Testing;

// The hosts share one broker and its queues: test classes run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Bitcain.Market.Tests;

/// <summary>
/// The exchange simulator, then the whole suite pointed at it: the exchange base URLs are read when the hosts are
/// built, so the simulator must be up (and the variables set) before <see cref="BitcainSuite"/> starts them.
/// </summary>
public sealed class MarketSuite : IAsyncLifetime
{
    public RunningSimulator Sim { get; private set; } = null!;
    public BitcainSuite Suite { get; } = new();

    public async Task InitializeAsync()
    {
        Sim = await SimulatorHost.StartAsync();
        foreach (var exchange in Sim.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", Sim.BaseUrl(exchange));
        await Suite.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Suite.DisposeAsync();
        await Sim.DisposeAsync();
    }

    public Api As(string? user) => new(Suite.Gateway.Server.CreateClient(), user is null ? null : TestTokens.For(user));
}

[CollectionDefinition(Name)]
public sealed class MarketCollection : ICollectionFixture<MarketSuite>
{
    public const string Name = "market suite";
}

/// <summary>Raw HTTP into the gateway as a user sees it.</summary>
public sealed class Api(HttpClient http, string? token)
{
    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text), response);
    }

    public async Task<(int Status, JsonNode? Body)> PostAsync(string url, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }
}
