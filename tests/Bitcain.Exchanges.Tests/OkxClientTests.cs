using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bitcain.Exchanges.Okx;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>OKX v5 against a stub exchange and the recorded payloads in Fixtures/raw (nautilus_trader test data).</summary>
public class OkxClientTests
{
    private static readonly ExchangeApiCredentials Key = new("okx-test-key-0000-1111", "0123456789ABCDEF0123456789ABCDEF", "okx-pass-phrase");

    [Fact]
    public async Task a_signed_call_carries_the_four_headers_and_a_base64_hmac_of_timestamp_method_path_and_query()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 12, 8, 9, 8, 57, 715, TimeSpan.Zero));
        var stub = new StubExchange(_ => StubExchange.Json(Fixture.Text("raw/okx.account.balance.json")));
        var balances = await TestClients.Client(stub, "okx", time, new Dictionary<string, string?> { ["Exchanges:okx:BaseUrl"] = "https://okx.test/prefix" })
            .GetBalancesAsync(Key);
        balances["USDT"].ShouldBe(new Balance("USDT", 94.42612990333333m, 5.468566666666667m));

        var request = stub.Requests.Single();
        request.Path.ShouldBe("/prefix/api/v5/account/balance");
        request.Headers["OK-ACCESS-KEY"].ShouldBe(Key.ApiKey);
        request.Headers["OK-ACCESS-TIMESTAMP"].ShouldBe("2020-12-08T09:08:57.715Z");
        request.Headers["OK-ACCESS-PASSPHRASE"].ShouldBe(Key.Passphrase);
        // base64(HMAC-SHA256(secret, timestamp + "GET" + requestPath + body)): the path OKX sees, not our prefix.
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key.ApiSecret));
        request.Headers["OK-ACCESS-SIGN"].ShouldBe(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("2020-12-08T09:08:57.715ZGET/api/v5/account/balance"))));
    }

    [Fact]
    public void the_signer_covers_the_query_and_a_body()
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("s3cret"));
        OkxSigner.Sign("s3cret", "2020-12-08T09:08:57.715Z", "post", "/api/v5/trade/order", """{"instId":"BTC-USDT"}""")
            .ShouldBe(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("2020-12-08T09:08:57.715ZPOST/api/v5/trade/order{\"instId\":\"BTC-USDT\"}"))));
        OkxSigner.Timestamp(new DateTimeOffset(2020, 12, 8, 10, 8, 57, 5, TimeSpan.FromHours(1))).ShouldBe("2020-12-08T09:08:57.005Z");
    }

    [Fact]
    public void the_recorded_payloads_parse_into_unified_models()
    {
        var markets = OkxParsers.Markets(Fixture.Text("raw/okx.instruments.SPOT.json"), 0.0008m, 0.001m);
        markets.Select(m => m.Symbol).ShouldBe(["BTC/USD", "ETH/USD"]);
        var btc = markets[0];
        (btc.ExchangeSymbol, btc.Active, btc.Maker, btc.Taker).ShouldBe(("BTC-USD", true, 0.0008m, 0.001m));
        btc.Precision.ShouldBe(new MarketPrecision(0.00000001m, 0.1m));
        btc.Limits.ShouldBe(new MarketLimits(new MinMax(0.00001m, 9999999999m), new MinMax(null, 20000000m), MinMax.None));

        var balances = OkxParsers.Balances(Fixture.Text("raw/okx.account.balance.json"));
        balances.Keys.ShouldBe(["USDT"]);
        OkxParsers.Permissions(Fixture.Text("raw/okx.account.config.json")).ShouldBe(new KeyPermissions(true, true, true));
        OkxParsers.Permissions("""{"code":"0","data":[{"perm":"read_only"}]}""").ShouldBe(new KeyPermissions(true, false, false));
    }

    [Fact]
    public void the_recorded_errors_and_documented_codes_map_to_the_contracts_error_types()
    {
        var invalid = OkxErrors.Find("okx", 401, Fixture.Text("raw/okx.error.invalid_key.json"), null, "/api/v5/account/balance").ShouldNotBeNull();
        (invalid.ErrorType, invalid.ExchangeCode, invalid.ExchangeMessage).ShouldBe((ExchangeErrorType.AuthError, "50111", "Invalid OK-ACCESS-KEY"));
        var limited = OkxErrors.Find("okx", 429, Fixture.Text("raw/okx.error.rate_limit.json"), null, "/x").ShouldNotBeNull();
        (limited.ErrorType, limited.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, TimeSpan.FromSeconds(2)));
        OkxErrors.Find("okx", 429, Fixture.Text("raw/okx.error.rate_limit.json"), TimeSpan.FromSeconds(7), "/x")!.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        foreach (var (code, type) in new[]
                 {
                     ("50113", ExchangeErrorType.AuthError), ("50105", ExchangeErrorType.AuthError), ("50102", ExchangeErrorType.AuthError),
                     ("50112", ExchangeErrorType.AuthError), ("50101", ExchangeErrorType.AuthError), ("50120", ExchangeErrorType.PermissionDenied),
                     ("50001", ExchangeErrorType.ExchangeUnavailable), ("51001", ExchangeErrorType.InvalidRequest), ("59999", ExchangeErrorType.ExchangeError),
                 })
            OkxErrors.Find("okx", 200, $"{{\"code\":\"{code}\",\"msg\":\"m\",\"data\":[]}}", null, "/x")!.ErrorType.ShouldBe(type, code);
        OkxErrors.Find("okx", 200, """{"code":"0","msg":"","data":[]}""", null, "/x").ShouldBeNull();
        OkxErrors.Find("okx", 503, "<html/>", null, "/x")!.ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
    }

    [Fact]
    public async Task a_key_without_a_passphrase_is_refused_before_anything_is_sent()
    {
        var stub = new StubExchange(_ => StubExchange.Json("{}", HttpStatusCode.OK));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "okx").GetBalancesAsync(Key with { Passphrase = null }));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.AuthError, "passphrase_required"));
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_bad_passphrase_answer_does_not_echo_it()
    {
        var stub = new StubExchange(c => StubExchange.Json($"{{\"code\":\"50105\",\"msg\":\"Invalid OK-ACCESS-PASSPHRASE {c.Headers["OK-ACCESS-PASSPHRASE"]}\"}}", HttpStatusCode.Unauthorized));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "okx").GetKeyPermissionsAsync(Key));
        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        e.ToString().ShouldNotContain(Key.Passphrase!);
    }
}
