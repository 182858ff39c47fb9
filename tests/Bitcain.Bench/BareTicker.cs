using System.Collections.Concurrent;
using System.Text.Json;

namespace Bitcain.Bench;

/// <summary>The ceiling for a cached ticker: one Kestrel endpoint serving a ticker from an in-memory dictionary, nothing else.</summary>
public sealed class BareTicker : IAsyncDisposable
{
    private readonly WebApplication _app;
    public string Url { get; }

    private BareTicker(WebApplication app, string url) => (_app, Url) = (app, url);

    public static async Task<BareTicker> StartAsync(string tickerJson)
    {
        var port = Bitcain.LocalServers.FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var cache = new ConcurrentDictionary<(string, string), JsonElement>();
        cache[("binance", "BTC/USDT")] = JsonDocument.Parse(tickerJson).RootElement.Clone();
        app.MapGet("/ticker", (string exchange, string symbol) =>
            cache.TryGetValue((exchange, symbol), out var ticker) ? Results.Json(ticker) : Results.NotFound());
        await app.StartAsync();
        return new BareTicker(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
