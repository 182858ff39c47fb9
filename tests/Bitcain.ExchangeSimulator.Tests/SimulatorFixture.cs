using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>One simulator per test class; tests that change faults or limits start their own.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public RunningSimulator Sim { get; private set; } = null!;
    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        // Protocol tests page through histories faster than Kraken's call counter allows; RateLimitTests cover it.
        var options = new SimulatorOptions();
        options.Kraken.Enabled = false;
        Sim = await SimulatorHost.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }
}

internal static class HttpExtensions
{
    public static async Task<(int Status, JsonElement Body)> JsonAsync(this HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<(int Status, JsonElement Body)> GetJsonAsync(this HttpClient http, string url) =>
        http.JsonAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public static long NowMs(this RunningSimulator sim) => sim.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
