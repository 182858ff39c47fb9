using System.Diagnostics;
using System.Text.RegularExpressions;
using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed partial class SecretsInTelemetryTests(TelemetrySuite telemetry)
{
    [Fact]
    public async Task no_key_secret_passphrase_signature_or_token_reaches_a_span_or_a_log_record()
    {
        var user = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
        var token = TestTokens.For(user);
        var api = Users.Client(telemetry.Suite.Gateway, token);
        var material = new List<string> { token, TestTokens.SigningKey, Environment.GetEnvironmentVariable("Credentials__MasterKey")! };
        material.AddRange(TestBusIdentities.ServiceIdentities.Select(id => PemBody(TestBusIdentities.KeyOf(id).ExportPkcs8PrivateKeyPem())));

        // Every exchange signs its own way: Binance in the query string, Kraken API-Sign, Coinbase a JWT bearer,
        // OKX/KuCoin/Bitget-style passphrases and signature headers. Each key is checked, then stored and synced.
        foreach (var exchange in telemetry.Sim.Exchanges)
        {
            var account = telemetry.Sim.Account(exchange, "demo");
            material.AddRange(new[] { account.ApiKey, account.ApiSecret, account.Passphrase }.OfType<string>().Where(s => s.Length > 0));

            var validated = await api.ValidateExchangeAsync(new()
            {
                Exchange = exchange, ApiKey = account.ApiKey, ApiSecret = account.ApiSecret, ApiPassphrase = account.Passphrase,
            });
            validated.Valid.ShouldBeTrue($"{exchange}: {validated.ErrorType} {validated.Error}");

            var credential = Users.NewCredential(exchange: exchange, key: account.ApiKey, secret: account.ApiSecret, passphrase: account.Passphrase);
            credential.IpWhitelist = null;
            await api.StoreCredentialsAsync(credential);
            var synced = await api.SyncBalanceAsync(exchange);
            synced.Success.ShouldBeTrue($"{exchange}: {synced.ErrorType} {synced.Error}");
        }
        // The stored credentials' validation runs in the background: let it sign its calls too.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var wire = telemetry.WireSecrets.Distinct().ToList();
        wire.Count.ShouldBeGreaterThan(telemetry.Sim.Exchanges.Count, "the wire tap saw the signatures, keys and tokens sent");
        wire.ShouldContain(v => v.StartsWith("eyJ", StringComparison.Ordinal), "Coinbase's bearer JWT was on the wire");
        material.AddRange(wire.Where(v => v.Length >= 8));

        var spans = telemetry.Spans.All;
        spans.ShouldContain(s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http", "the exchange calls were traced");
        spans.ShouldContain(s => s.Source.Name == "Npgsql");
        var texts = spans.Select(SpanText).Concat(telemetry.LogRecords).ToList();
        texts.Count.ShouldBeGreaterThan(spans.Count, "log records were captured too");

        foreach (var text in texts)
        {
            foreach (var secret in material.Distinct())
                text.ShouldNotContain(secret, Case.Sensitive, $"a secret ({secret[..4]}...) reached telemetry:\n{text}");
            Jwt().IsMatch(text).ShouldBeFalse($"a JWT or JWS reached telemetry:\n{text}");
            QuerySignature().IsMatch(text).ShouldBeFalse($"a signature in a URL reached telemetry:\n{text}");
        }
        // Binance's signed URLs are traced with their query replaced by "*" (System.Net.Http's own redaction): that is
        // what keeps the signature out, and it must stay on.
        var binance = spans.Select(s => s.GetTagItem("url.full") as string).Where(u => u != null && u.Contains("/binance/api/v3/account")).ToList();
        binance.ShouldNotBeEmpty();
        binance.ShouldAllBe(u => u!.EndsWith("/binance/api/v3/account?*"));
    }

    [Fact]
    public async Task the_database_password_is_not_in_the_data_source_name_postgresql_spans_carry()
    {
        // The suite's PostgreSQL trusts local connections, so a password in the connection string is sent nowhere but
        // stays in the string Npgsql names its data source by; a deployment's real one must not reach db.npgsql.data_source.
        var password = "Pg-" + Guid.NewGuid().ToString("N");
        using (DatabaseSpanTests.RecordedParent())
        await using (var source = Npgsql.NpgsqlDataSource.Create(telemetry.Suite.Infrastructure.Postgres + ";Password=" + password))
        await using (var command = source.CreateCommand("select 1 as password_check"))
            await command.ExecuteScalarAsync();

        var spans = telemetry.Spans.All.Where(s => s.Source.Name == "Npgsql" && s.GetTagItem("db.query.text") as string == "select 1 as password_check").ToList();
        spans.ShouldNotBeEmpty();
        spans.Select(SpanText).ShouldAllBe(text => !text.Contains(password) && !text.Contains("Password=", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Everything an exporter sends of a span: names, status, every tag, event, link and baggage item.</summary>
    private static string SpanText(Activity span)
    {
        var parts = new List<string?> { span.Source.Name, span.OperationName, span.DisplayName, span.StatusDescription };
        parts.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        foreach (var e in span.Events)
        {
            parts.Add(e.Name);
            parts.AddRange(e.Tags.Select(t => $"{t.Key}={t.Value}"));
        }
        foreach (var link in span.Links)
            parts.AddRange(link.Tags?.Select(t => $"{t.Key}={t.Value}") ?? []);
        parts.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
        return string.Join(" | ", parts);
    }

    private static string PemBody(string pem) =>
        string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()))[..48];

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"sign(ature)?=(?!Redacted)[^&\s|]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex QuerySignature();
}
