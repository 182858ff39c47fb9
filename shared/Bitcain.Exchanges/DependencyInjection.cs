using System.Globalization;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bitcain.Exchanges;

public static class ExchangeServiceCollectionExtensions
{
    /// <summary>The exchanges that have a client: every module's.</summary>
    public static IReadOnlyList<string> ImplementedExchanges => ExchangeModules.Ids;

    /// <summary>The named HttpClient each exchange client sends through (for handlers, resilience, test doubles).</summary>
    public static string HttpClientName(string exchange) => $"Bitcain.Exchanges.{exchange}";

    /// <summary>
    /// Registers one client per implemented exchange as a process-wide singleton (so its rate limiter is shared by
    /// every caller), a named HttpClient for each, and <see cref="IExchangeClients"/>. Configuration per exchange:
    /// <c>Exchanges:&lt;id&gt;:BaseUrl</c> (default: the catalog's production URL; may carry a path prefix),
    /// <c>Exchanges:&lt;id&gt;:TimeoutSeconds</c> (default 10), <c>Exchanges:&lt;id&gt;:RateLimit</c>,
    /// <c>Exchanges:&lt;id&gt;:MaxRetryAfterSeconds</c>, <c>Exchanges:&lt;id&gt;:MaxResponseBytes</c> (default 32 MiB).
    /// </summary>
    public static IServiceCollection AddBitcainExchanges(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        var clients = new Dictionary<string, Func<IServiceProvider, IExchangeClient>>();
        foreach (var module in ExchangeModules.All)
        {
            var id = module.Descriptor.Id;
            var options = ReadOptions(configuration, id);
            // Request logging is removed: a Binance request URL carries its signature in the query string.
            // The host's default resilience handler is removed too: it would retry 429s and 5xx behind the client's back
            // (waiting out a long Retry-After, resending signed writes), where the client decides retries itself.
#pragma warning disable EXTEXP0001 // an evaluation API, and the only way to undo ConfigureHttpClientDefaults for one client
            // Redirects are not followed: the handler would resend the API key headers (X-MBX-APIKEY, KC-API-KEY, ...)
            // to wherever Location points; the transport reports the 3xx instead.
            services.AddHttpClient(HttpClientName(id), http => http.Timeout = options.Timeout + TimeSpan.FromSeconds(5))
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
                .RemoveAllLoggers()
                .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            clients[id] = sp => Create(module, options, sp);
        }

        foreach (var (id, create) in clients)
            services.AddKeyedSingleton<IExchangeClient>(id, (sp, _) => MeteredExchangeClient.Wrap(create(sp)));
        services.TryAddSingleton<IExchangeClients>(sp =>
            new ExchangeClients(ImplementedExchanges.ToDictionary(id => id, id => sp.GetRequiredKeyedService<IExchangeClient>(id))));
        return services;
    }

    public static ExchangeClientOptions ReadOptions(IConfiguration configuration, string exchange)
    {
        var descriptor = ExchangeCatalog.Get(exchange);
        var section = configuration.GetSection($"Exchanges:{descriptor.Id}");
        double? Number(string key) =>
            double.TryParse(section[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
        var baseUrl = section["BaseUrl"] is { Length: > 0 } configured ? configured : descriptor.DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"Exchanges:{descriptor.Id}:BaseUrl must be an absolute http(s) URL");
        return new ExchangeClientOptions
        {
            Exchange = descriptor.Id,
            BaseUrl = baseUrl,
            Timeout = TimeSpan.FromSeconds(Number("TimeoutSeconds") ?? 10),
            MaxRetryAfterWait = TimeSpan.FromSeconds(Number("MaxRetryAfterSeconds") ?? 10),
            RateLimit = Number("RateLimit") is { } limit ? (int)limit : null,
            RateDecayPerSecond = Number("RateDecayPerSecond"),
            // Capped below 2 GiB: the body is buffered in one array.
            MaxResponseBytes = Number("MaxResponseBytes") is { } max ? (long)Math.Min(max, int.MaxValue - 1) : ExchangeClientOptions.DefaultMaxResponseBytes,
        };
    }

    private static IExchangeClient Create(IExchangeModule module, ExchangeClientOptions options, IServiceProvider sp)
    {
        var id = module.Descriptor.Id;
        var time = sp.GetRequiredService<TimeProvider>();
        var http = sp.GetRequiredService<IHttpClientFactory>();
        var transport = new ExchangeTransport(options, () => http.CreateClient(HttpClientName(id)), time);
        return module.CreateClient(new ExchangeClientParts(module.Descriptor, transport,
            module.RateBudgets(options.RateLimit, options.RateDecayPerSecond), time));
    }
}

internal sealed class ExchangeClients(IReadOnlyDictionary<string, IExchangeClient> clients) : IExchangeClients
{
    public IReadOnlyList<string> Exchanges { get; } = clients.Keys.ToList();

    public bool TryGet(string? name, out IExchangeClient client)
    {
        client = null!;
        return ExchangeCatalog.TryResolve(name, out var exchange) && clients.TryGetValue(exchange.Id, out client!);
    }

    public IExchangeClient Get(string name) =>
        TryGet(name, out var client) ? client : throw new KeyNotFoundException($"no exchange client for '{name}'");
}
