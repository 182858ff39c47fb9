using Bitcain.Edge;
using Bitcain.Gateway.Api;
using Bitcain.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests;

/// <summary>Secrets in 422 bodies and the cached health checks (numbers and text past their bounds: Bitcain.Edge.Tests).</summary>
public sealed class BoundedInputTests
{
    [Theory]
    [InlineData(typeof(ExchangeCredentialCreate))]
    [InlineData(typeof(ExchangeCredentialUpdate))]
    [InlineData(typeof(ExchangeValidationRequest))]
    public void every_key_secret_and_passphrase_of_a_credential_record_is_declared_secret(Type record)
    {
        var fields = record.GetProperties().Where(p => EdgeSpecs.WireName(p) is "api_key" or "api_secret" or "api_passphrase").ToList();
        fields.Count.ShouldBe(3);
        fields.ShouldAllBe(p => p.IsDefined(typeof(SecretAttribute), false));
    }

    [Fact]
    public void an_error_on_a_secret_field_never_echoes_its_value()
    {
        _ = ExchangeCredentialCreate.Spec;
        foreach (var field in new[] { "api_key", "api_secret", "api_passphrase" })
        {
            var redacted = SecretInputs.Redact(FieldError.TooShort(["body", field], "s3cr3t", 8));
            redacted.Input.ShouldBe(SecretInputs.Mask);
            redacted.Ctx!["min_length"].ShouldBe(8);
        }
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class CountingCheck : IHealthCheck
    {
        public int Runs;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            Interlocked.Increment(ref Runs);
            await Task.Delay(50, ct);
            return HealthCheckResult.Healthy();
        }
    }

    [Fact]
    public async Task a_flood_of_health_checks_runs_the_real_check_once_per_window()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var inner = new CountingCheck();
        var cached = new CachedHealthCheck(inner, TimeSpan.FromSeconds(5), time);
        var context = new HealthCheckContext();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => cached.CheckHealthAsync(context)));
        results.ShouldAllBe(r => r.Status == HealthStatus.Healthy);
        inner.Runs.ShouldBe(1);

        time.Now += TimeSpan.FromSeconds(4);
        await cached.CheckHealthAsync(context);
        inner.Runs.ShouldBe(1);

        time.Now += TimeSpan.FromSeconds(2);
        await cached.CheckHealthAsync(context);
        inner.Runs.ShouldBe(2);
    }
}
