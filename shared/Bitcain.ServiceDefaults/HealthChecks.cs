using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace Bitcain.ServiceDefaults;

internal sealed class PostgresHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The exception text names host and port, never the password (Npgsql keeps it out).
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable: " + e.Message);
        }
    }
}

internal sealed class RabbitMqHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(connectionString), RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
            await using var connection = await factory.CreateConnectionAsync("bitcain-health", ct);
            return connection.IsOpen ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("RabbitMQ connection is closed");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Deliberately not e.Message: the broker client may echo the URI, which can hold a password.
            return HealthCheckResult.Unhealthy("RabbitMQ is not reachable: " + e.GetType().Name);
        }
    }
}

/// <summary>
/// A check's last result, reused for a few seconds (<c>Health:CacheSeconds</c>, default 5). <c>/health</c> is anonymous and
/// not rate limited, and the broker check opens an AMQP connection (a TCP and TLS handshake, a login, a connection the
/// broker logs): one per request let any caller make the broker do that as often as it likes. Now one check runs at a
/// time and callers within the window share its answer, so a flood costs the broker one connection per window.
/// </summary>
public sealed class CachedHealthCheck(IHealthCheck inner, TimeSpan reuseFor, TimeProvider time) : IHealthCheck
{
    private readonly SemaphoreSlim running = new(1, 1);
    private volatile Checked? last;

    private sealed record Checked(HealthCheckResult Result, DateTimeOffset At);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (Fresh() is { } cached) return cached;
        await running.WaitAsync(ct);
        try
        {
            if (Fresh() is { } meanwhile) return meanwhile;
            var result = await inner.CheckHealthAsync(context, ct);
            last = new Checked(result, time.GetUtcNow());
            return result;
        }
        finally
        {
            running.Release();
        }
    }

    private HealthCheckResult? Fresh() => last is { } l && time.GetUtcNow() - l.At < reuseFor ? l.Result : null;
}

internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
