using System.Text;
using System.Text.Json;
using Bitcain.Gateway.Http;
using Bitcain.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests;

/// <summary>Numbers past their bounds, text that is not Unicode, secrets in 422 bodies, and the cached health checks.</summary>
public sealed class BoundedInputTests
{
    private static readonly ParamSpec[] Paging =
    [
        new("limit", ParamKind.Integer, Default: 100L, Minimum: 1, Maximum: 1000),
        new("offset", ParamKind.Integer, Default: 0L, Minimum: 0, Maximum: 100_000),
        new("size", ParamKind.Number, GreaterThan: 0, NumberMaximum: 1_000_000_000_000_000m),
    ];

    private static ParamValues Read(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return ParamValues.Read(context.Request, Paging);
    }

    [Theory]
    [InlineData("offset=100001", "less_than_equal")]
    [InlineData("offset=2147483648", "less_than_equal")]
    [InlineData("offset=9223372036854775807", "less_than_equal")]
    [InlineData("offset=9223372036854775808", "int_parsing")]
    [InlineData("offset=-1", "greater_than_equal")]
    [InlineData("offset=1e309", "int_parsing")]
    [InlineData("offset=NaN", "int_parsing")]
    [InlineData("limit=1001", "less_than_equal")]
    [InlineData("size=1000000000000000.01", "less_than_equal")]
    [InlineData("size=1e309", "decimal_parsing")]
    [InlineData("size=NaN", "decimal_parsing")]
    public void a_number_past_its_bound_or_past_any_integer_is_a_422_naming_it(string query, string type)
    {
        var error = Read("?" + query).Errors.ShouldHaveSingleItem();
        error.Type.ShouldBe(type);
        error.Loc.ShouldBe(["query", query[..query.IndexOf('=')]]);
    }

    [Fact]
    public void the_bounds_themselves_are_served()
    {
        var values = Read("?limit=1000&offset=100000&size=1000000000000000");
        values.IsValid.ShouldBeTrue();
        values.Integer("offset").ShouldBe(100_000);
    }

    [Fact]
    public void an_over_the_bound_error_says_the_bound_as_pydantic_does()
    {
        var error = Read("?offset=100001").Errors.Single();
        error.Msg.ShouldBe("Input should be less than or equal to 100000");
        error.Ctx!["le"].ShouldBe(100_000L);
        error.Input.ShouldBe("100001");
    }

    [Theory]
    [InlineData("{\"credential_name\":\"\\ud800\"}", "string_unicode", "body,credential_name")]
    [InlineData("{\"credential_name\":\"a\\udc00b\"}", "string_unicode", "body,credential_name")]
    [InlineData("{\"exchange_metadata\":{\"k\":[\"ok\",\"\\udfff\"]}}", "string_unicode", "body,exchange_metadata,k,1")]
    [InlineData("{\"credential_name\":\"a\\u0000b\"}", "value_error", "body,credential_name")]
    [InlineData("{\"exchange_metadata\":{\"\\ud800\":1}}", "string_unicode", "body,exchange_metadata")]
    public void a_body_string_that_is_not_unicode_or_holds_nul_is_found_where_it_is(string json, string type, string loc)
    {
        using var document = JsonDocument.Parse(json);
        var error = RequestText.FindInBody(document.RootElement).ShouldNotBeNull();
        error.Type.ShouldBe(type);
        string.Join(',', error.Loc).ShouldBe(loc);
        error.Input.ShouldBeNull();
    }

    [Fact]
    public void raw_bytes_that_are_not_utf8_inside_a_string_are_found_too()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"api_key\":\"ab\"}");
        bytes[13] = 0xFF;
        using var document = JsonDocument.Parse(bytes);
        RequestText.FindInBody(document.RootElement)!.Type.ShouldBe("string_unicode");
    }

    [Fact]
    public void zero_width_rtl_and_astral_characters_are_ordinary_text()
    {
        using var document = JsonDocument.Parse("{\"credential_name\":\"\\u200b\\u202e\\ud83d\\udca9e\\u0301\"}");
        RequestText.FindInBody(document.RootElement).ShouldBeNull();
    }

    [Fact]
    public void an_error_on_a_secret_field_never_echoes_its_value()
    {
        foreach (var field in new[] { "api_key", "api_secret", "api_passphrase" })
        {
            var redacted = SecretInputs.Redact(FieldError.TooShort(["body", field], "s3cr3t", 8));
            redacted.Input.ShouldBe(SecretInputs.Mask);
            redacted.Ctx!["min_length"].ShouldBe(8);
        }
    }

    [Fact]
    public void a_model_level_error_echoes_the_body_with_secret_values_masked()
    {
        using var document = JsonDocument.Parse("""{"exchange_name":"binance","api_key":"AKIA-very-secret","nested":{"api_secret":"x"},"api_passphrase":null}""");
        var redacted = SecretInputs.Redact(new FieldError("missing", ["body", "api_secret"], "Field required", document.RootElement.Clone()));
        var text = JsonSerializer.Serialize(redacted.Input);
        text.ShouldNotContain("AKIA-very-secret");
        text.ShouldContain("\"exchange_name\":\"binance\"");
        text.ShouldContain("\"api_key\":\"**********\"");
        text.ShouldContain("\"api_passphrase\":null");
    }

    [Fact]
    public void a_body_that_is_a_bare_string_or_list_is_masked_whole_but_other_inputs_stay()
    {
        using var text = JsonDocument.Parse("\"AKIA-very-secret\"");
        SecretInputs.Redact(new FieldError("model_attributes_type", ["body"], "m", text.RootElement.Clone())).Input.ShouldBe(SecretInputs.Mask);
        SecretInputs.Redact(new FieldError("model_attributes_type", ["body"], "m", "raw form body")).Input.ShouldBe(SecretInputs.Mask);
        SecretInputs.Redact(new FieldError("int_parsing", ["query", "limit"], "m", "ten")).Input.ShouldBe("ten");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/Problem+JSON", true)]
    [InlineData("text/plain", false)]
    [InlineData("text/json", false)]
    [InlineData("multipart/form-data; boundary=x", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    public void only_a_json_content_type_or_none_is_read_as_json_as_in_fastapi(string? type, bool json) =>
        BodyValues.IsJson(type).ShouldBe(json);

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
