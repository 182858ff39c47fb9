using System.Net;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>No error, message or ToString ever carries the API key, the secret, the passphrase or a signature.</summary>
public class RedactionTests
{
    private static readonly ExchangeApiCredentials WithPassphrase = TestClients.Binance with { Passphrase = "correct-horse-battery" };

    [Fact]
    public void credentials_print_themselves_redacted()
    {
        var text = $"{WithPassphrase} {WithPassphrase.ToString()} {new[] { WithPassphrase }.Single()}";
        text.ShouldNotContain(WithPassphrase.ApiKey);
        text.ShouldNotContain(WithPassphrase.ApiSecret);
        text.ShouldNotContain(WithPassphrase.Passphrase!);
        text.ShouldContain("vmPU***");
    }

    public static TheoryData<string, int, string, ExchangeErrorType> BinanceFailures => new()
    {
        { "auth", 401, """{"code":-2015,"msg":"Invalid API-key {key}, IP, or permissions for action. sig {signature} secret {secret}"}""", ExchangeErrorType.AuthError },
        { "permission", 401, """{"code":-1002,"msg":"You are not authorized {key} {signature}"}""", ExchangeErrorType.PermissionDenied },
        { "rate", 429, """{"code":-1003,"msg":"Too many requests {key}"}""", ExchangeErrorType.RateLimited },
        { "unavailable", 503, "<html>down {key} {signature}</html>", ExchangeErrorType.ExchangeUnavailable },
        { "invalid", 400, """{"code":-1121,"msg":"Invalid symbol {signature}"}""", ExchangeErrorType.InvalidRequest },
        { "other", 400, """{"code":-2010,"msg":"insufficient balance {secret} {key}"}""", ExchangeErrorType.ExchangeError },
        { "network", 0, "", ExchangeErrorType.NetworkError },
    };

    [Theory]
    [MemberData(nameof(BinanceFailures))]
    public async Task binance_errors_of_every_type_keep_key_secret_and_signature_out(string name, int status, string body, ExchangeErrorType expected)
    {
        _ = name;
        var stub = new StubExchange(c =>
        {
            var signature = c.Query.GetValueOrDefault("signature", "");
            // A transport failure whose own message names the full signed URL, as some handlers do.
            if (status == 0) throw new HttpRequestException($"connection refused for {c.Uri}", null, null);
            var echoed = body.Replace("{key}", TestClients.Binance.ApiKey).Replace("{secret}", TestClients.Binance.ApiSecret).Replace("{signature}", signature);
            return StubExchange.Json(echoed, (HttpStatusCode)status, ("Retry-After", "600"));
        });
        var client = TestClients.Client(stub, "binance");

        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(TestClients.Binance));

        e.ErrorType.ShouldBe(expected);
        var signature = stub.Requests.Last().Query["signature"];
        foreach (var text in new[] { e.ToString(), e.Message, e.ExchangeMessage ?? "", e.ExchangeCode ?? "" })
        {
            text.ShouldNotContain(TestClients.Binance.ApiKey);
            text.ShouldNotContain(TestClients.Binance.ApiSecret);
            text.ShouldNotContain(signature);
            text.ShouldNotContain("signature=");
        }
    }

    [Theory]
    [InlineData("EAPI:Invalid key {key}", ExchangeErrorType.AuthError)]
    [InlineData("EAPI:Invalid signature {signature}", ExchangeErrorType.AuthError)]
    [InlineData("EGeneral:Permission denied {key}", ExchangeErrorType.PermissionDenied)]
    [InlineData("EAPI:Rate limit exceeded {signature}", ExchangeErrorType.RateLimited)]
    [InlineData("EService:Unavailable {secret}", ExchangeErrorType.ExchangeUnavailable)]
    [InlineData("EGeneral:Invalid arguments {key}", ExchangeErrorType.InvalidRequest)]
    [InlineData("EFunding:Something {secret} {signature}", ExchangeErrorType.ExchangeError)]
    public async Task kraken_errors_of_every_type_keep_key_secret_and_signature_out(string error, ExchangeErrorType expected)
    {
        var stub = new StubExchange(c => StubExchange.Json("{\"error\":[\"" + error
            .Replace("{key}", TestClients.Kraken.ApiKey).Replace("{secret}", TestClients.Kraken.ApiSecret)
            .Replace("{signature}", c.Headers["API-Sign"]) + "\"]}"));
        var client = TestClients.Client(stub, "kraken", config: new Dictionary<string, string?> { ["Exchanges:kraken:MaxRetryAfterSeconds"] = "0.001" });

        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(TestClients.Kraken));

        e.ErrorType.ShouldBe(expected);
        foreach (var sent in stub.Requests)
        foreach (var text in new[] { e.ToString(), e.Message, e.ExchangeMessage ?? "" })
        {
            text.ShouldNotContain(TestClients.Kraken.ApiKey);
            text.ShouldNotContain(TestClients.Kraken.ApiSecret);
            text.ShouldNotContain(sent.Headers["API-Sign"]);
        }
    }

    [Fact]
    public async Task a_kraken_secret_that_is_not_base64_fails_as_auth_without_echoing_it()
    {
        var stub = new StubExchange(_ => StubExchange.Json("{}"));
        var bad = TestClients.Kraken with { ApiSecret = "not base64 at all!" };
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "kraken").GetBalancesAsync(bad));
        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        e.ToString().ShouldNotContain(bad.ApiSecret);
        stub.Requests.ShouldBeEmpty();
    }
}
