using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bitcain.ServiceDefaults;

/// <summary>
/// What every Bitcain service does the same way: telemetry, health, service discovery and resilient
/// HTTP clients, following Aspire's ServiceDefaults so that moving to Aspire changes no service.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        // No default resilience handler: the only HttpClientFactory clients are the exchange clients, which removed it
        // anyway (a retried signed POST could apply twice, and every resend spends the exchange's rate-limit weight
        // again). A client for which retrying is right adds its own.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        return builder;
    }

    private static void ConfigureLogging(this IHostApplicationBuilder builder)
    {
        // One line per entry, UTC: the AppHost prefixes each line with the service name.
        // Nothing here ever formats a request or message body; secrets must not reach a log call at all.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.IncludeScopes = false;
        });
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = false;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Bitcain's own: Bitcain.Exchanges, Bitcain.Gateway, Bitcain.Market, Bitcain.Sync (README, "Telemetry").
                .AddMeter("Wolverine", "Marten", "Bitcain.*"))
            .WithTracing(tracing => tracing
                .SetSampler(new Telemetry.UnparentedDatabaseSpans())
                .AddSource(builder.Environment.ApplicationName, "Wolverine", "Marten")
                // Every command of every NpgsqlDataSource in the process, Marten's and Wolverine's own included: Npgsql
                // traces through one static ActivitySource. Spans carry db.query.text with its $1 placeholders, never
                // the parameter values (Npgsql records none), so a sealed secret or a key hash never reaches a trace.
                .AddNpgsql()
                .AddAspNetCoreInstrumentation(o =>
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(HealthPath) && !ctx.Request.Path.StartsWithSegments(AlivePath))
                // Binance signs in the query string: System.Net.Http's own redaction (url.full ends "?*") is what keeps
                // signatures out of traces; never set System.Net.Http.DisableUriRedaction. Request headers (API-Sign,
                // OK-ACCESS-SIGN, Coinbase's bearer JWT) are not recorded by default: add no enrichment that records them.
                // Tested: tests/Bitcain.EndToEnd.Tests/Telemetry/SecretsInTelemetryTests.
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
    }

    private static void AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        var reuseFor = TimeSpan.FromSeconds(builder.Configuration.GetValue("Health:CacheSeconds", 5.0));
        IHealthCheck Cached(IHealthCheck check) => reuseFor > TimeSpan.Zero ? new CachedHealthCheck(check, reuseFor, TimeProvider.System) : check;

        var postgres = builder.Configuration.GetConnectionString("postgres");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            var check = Cached(new PostgresHealthCheck(postgres));
            checks.Add(new HealthCheckRegistration("postgres", _ => check, HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5)));
        }

        var rabbit = builder.Configuration.GetConnectionString("rabbitmq");
        if (!string.IsNullOrWhiteSpace(rabbit))
        {
            var check = Cached(new RabbitMqHealthCheck(rabbit));
            checks.Add(new HealthCheckRegistration("rabbitmq", _ => check, HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary><c>/health</c>: ready to serve (its databases and broker answer). <c>/alive</c>: the process runs.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains("live"),
            ResponseWriter = HealthResponse.WriteAsync,
        }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
            ResponseWriter = HealthResponse.WriteAsync,
        }).AllowAnonymous().DisableRateLimiting();
        return app;
    }
}
