using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bitcain.Exchanges.Tests;

/// <summary>A request as the exchange received it.</summary>
internal sealed record Captured(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Path => Uri.AbsolutePath;
    public string QueryString => Uri.Query.TrimStart('?');

    public static IReadOnlyDictionary<string, string> Form(string text) =>
        text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");

    public IReadOnlyDictionary<string, string> Query => Form(QueryString);
    public IReadOnlyDictionary<string, string> BodyForm => Form(Body);
}

/// <summary>An exchange in a box: answers each request with a function of the request, and remembers them all.</summary>
internal sealed class StubExchange(Func<Captured, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly ConcurrentQueue<Captured> requests = new();

    public StubExchange(Func<Captured, HttpResponseMessage> respond) : this(c => Task.FromResult(respond(c))) { }

    public IReadOnlyList<Captured> Requests => requests.ToList();

    public IReadOnlyList<Captured> To(string pathSuffix) => requests.Where(r => r.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var captured = new Captured(request.Method, request.RequestUri!, headers, body);
        requests.Enqueue(captured);
        var response = await respond(captured);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}

internal static class TestClients
{
    public static readonly ExchangeApiCredentials Binance =
        new("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");

    public static readonly ExchangeApiCredentials Kraken =
        new("kraken-test-api-key-0123456789abcdef", "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==");

    /// <summary>The real DI entry point, with every exchange's HttpClient sending to <paramref name="stub"/>.</summary>
    public static ServiceProvider Services(HttpMessageHandler stub, TimeProvider? time = null, IDictionary<string, string?>? config = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Exchanges:binance:BaseUrl"] = "http://sim.test/binance",
            ["Exchanges:binanceus:BaseUrl"] = "http://sim.test/binanceus/",
            ["Exchanges:kraken:BaseUrl"] = "http://sim.test/kraken",
        };
        foreach (var (k, v) in config ?? new Dictionary<string, string?>()) settings[k] = v;
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        services.AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        foreach (var id in ExchangeServiceCollectionExtensions.ImplementedExchanges)
            services.AddHttpClient(ExchangeServiceCollectionExtensions.HttpClientName(id)).ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider();
    }

    public static IExchangeClient Client(HttpMessageHandler stub, string exchange, TimeProvider? time = null, IDictionary<string, string?>? config = null) =>
        Services(stub, time, config).GetRequiredService<IExchangeClients>().Get(exchange);
}
