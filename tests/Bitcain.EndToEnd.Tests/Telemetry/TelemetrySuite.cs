using System.Collections.Concurrent;
using System.Diagnostics;
using Bitcain.ExchangeSimulator;
using Bitcain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Telemetry;

/// <summary>
/// The suite with the exchange simulator behind it, and every host's own OpenTelemetry pipeline (the one
/// ServiceDefaults builds, which the OTLP exporter would send to the dashboard) also exporting into memory: its spans
/// as they are, its log records as text the moment they are emitted (the SDK reuses log records). A wire tap in every
/// exchange client records the signatures, bearer JWTs and keys that really left the process, so a test can look for
/// exactly those values in the telemetry.
/// </summary>
public sealed class TelemetrySuite : IAsyncLifetime
{
    public RunningSimulator Sim { get; private set; } = null!;
    public BitcainSuite Suite { get; }
    public SpanCapture Spans { get; } = new();
    public ConcurrentQueue<string> LogRecords { get; } = new();
    public ConcurrentQueue<string> WireSecrets { get; } = new();

    public TelemetrySuite()
    {

        Suite = new BitcainSuite
        {
            EveryHost = services =>
            {
                services.AddOpenTelemetry()
                    .WithTracing(tracing => tracing.AddInMemoryExporter(Spans))
                    .WithLogging(logging => logging.AddProcessor(new LogRecordText(LogRecords)));
                services.ConfigureAll<HttpClientFactoryOptions>(o =>
                    o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new WireTap(WireSecrets))));
            },
        };
    }

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
        foreach (var exchange in Sim.Exchanges)
            Environment.SetEnvironmentVariable($"Exchanges__{exchange}__BaseUrl", null);
        await Sim.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetrySuite>
{
    public const string Name = "telemetry suite";
}

/// <summary>Every host exports every span it samples; the hosts share one process, so a span arrives once per host.</summary>
public sealed class SpanCapture : ICollection<Activity>
{
    private readonly ConcurrentDictionary<ActivitySpanId, Activity> spans = new();

    public IReadOnlyList<Activity> InTrace(ActivityTraceId trace) => spans.Values.Where(a => a.TraceId == trace).ToList();

    public IReadOnlyList<Activity> All => spans.Values.ToList();

    public void Add(Activity item) => spans.TryAdd(item.SpanId, item);
    public void Clear() => spans.Clear();
    public bool Contains(Activity item) => spans.ContainsKey(item.SpanId);
    public void CopyTo(Activity[] array, int arrayIndex) => spans.Values.ToList().CopyTo(array, arrayIndex);
    public bool Remove(Activity item) => spans.TryRemove(item.SpanId, out _);
    public int Count => spans.Count;
    public bool IsReadOnly => false;
    public IEnumerator<Activity> GetEnumerator() => spans.Values.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A log record as everything an exporter could send of it: category, event, body, formatted message,
/// every attribute, the exception.</summary>
internal sealed class LogRecordText(ConcurrentQueue<string> into) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord record)
    {
        var parts = new List<string?> { record.CategoryName, record.EventId.Name, record.Body, record.FormattedMessage, record.Exception?.ToString() };
        foreach (var (key, value) in record.Attributes ?? []) parts.Add($"{key}={value}");
        into.Enqueue(string.Join(" | ", parts));
    }
}

/// <summary>Records the secret-bearing parts of every request an exchange client sends: header values whose names say
/// key, sign, passphrase or authorization, and query values whose names say sign.</summary>
internal sealed class WireTap(ConcurrentQueue<string> into) : DelegatingHandler
{
    private static readonly string[] SecretHeaderWords = ["key", "sign", "passphrase", "authorization"];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        foreach (var header in request.Headers)
            if (SecretHeaderWords.Any(w => header.Key.Contains(w, StringComparison.OrdinalIgnoreCase)))
                foreach (var value in header.Value)
                    into.Enqueue(value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : value);
        foreach (var pair in (request.RequestUri?.Query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Split('=', 2) is [var name, var value] && name.Contains("sign", StringComparison.OrdinalIgnoreCase))
                into.Enqueue(Uri.UnescapeDataString(value));
        return base.SendAsync(request, ct);
    }
}
