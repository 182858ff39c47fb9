using System.Security.Cryptography;
using System.Text;
using Bitcain.Exchanges.KuCoin;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>KuCoin: the official signing example byte for byte, the v2 passphrase, the documented examples and codes.</summary>
public class KuCoinClientTests
{
    private static readonly ExchangeApiCredentials Key = new("5c2db93503aa674c74a31734", "f03a5284-5c39-4aaa-9b20-dea10bdcf8e3", "my-pass-phrase");

    private static System.Text.Json.JsonElement Example(string name) =>
        Fixture.Json("docs-examples/kucoin.docs-examples.json").GetProperty(name);

    private static string Envelope(string name) => $"{{\"code\":\"200000\",\"data\":{Example(name).GetRawText()}}}";

    [Fact]
    public void the_official_signing_example_is_reproduced_byte_for_byte()
    {
        var v = Fixture.Json("signature-vectors.json").GetProperty("vectors").EnumerateArray()
            .Single(x => x.GetProperty("id").GetString() == "kucoin-v2-create-deposit-address");
        KuCoinSigner.Sign(v.GetProperty("secret").GetString()!, v.GetProperty("timestamp").GetString()!, v.GetProperty("method").GetString()!,
                v.GetProperty("endpoint").GetString()!, v.GetProperty("body").GetString()!)
            .ShouldBe("7QP/oM0ykidMdrfNEUmng8eZjg/ZvPafjIqmxiVfYu4=");
        v.GetProperty("signature").GetString().ShouldBe("7QP/oM0ykidMdrfNEUmng8eZjg/ZvPafjIqmxiVfYu4=");
    }

    [Fact]
    public async Task a_signed_call_sends_the_five_headers_with_a_v2_passphrase()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1547015186532));
        var stub = new StubExchange(_ => StubExchange.Json(Envelope("GET /api/v1/accounts (data)")));
        var balances = await TestClients.Client(stub, "kucoin", time).GetBalancesAsync(Key);
        // main + trade lines of one currency add up.
        balances["BTC"].ShouldBe(new Balance("BTC", 237582.032m + 1234356m, 0.01099m));

        var request = stub.Requests.Single();
        request.Headers["KC-API-KEY"].ShouldBe(Key.ApiKey);
        request.Headers["KC-API-TIMESTAMP"].ShouldBe("1547015186532");
        request.Headers["KC-API-KEY-VERSION"].ShouldBe("2");
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key.ApiSecret));
        request.Headers["KC-API-PASSPHRASE"].ShouldBe(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(Key.Passphrase!))));
        request.Headers["KC-API-SIGN"].ShouldBe(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("1547015186532GET/api/v1/accounts"))));
    }

    [Fact]
    public void the_documented_examples_parse_into_unified_models()
    {
        KuCoinParsers.ServerTime(Fixture.Raw(Example("GET /api/v1/timestamp"))).ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1546837113087));
        KuCoinParsers.Status(Fixture.Raw(Example("GET /api/v1/status"))).ShouldBe((ExchangeSystemStatus.Normal, "upgrade match engine"));
        KuCoinParsers.Status("""{"code":"200000","data":{"status":"cancelonly","msg":""}}""").Status.ShouldBe(ExchangeSystemStatus.Limited);
        KuCoinParsers.Status("""{"code":"200000","data":{"status":"close","msg":""}}""").Status.ShouldBe(ExchangeSystemStatus.Maintenance);

        var xlm = KuCoinParsers.Markets(Fixture.Raw(Example("GET /api/v2/symbols (data excerpt)")), 0.001m, 0.001m).Single();
        (xlm.Symbol, xlm.ExchangeSymbol, xlm.Active).ShouldBe(("XLM/USDT", "XLM-USDT", true));
        xlm.Precision.ShouldBe(new MarketPrecision(0.0001m, 0.000001m));
        xlm.Limits.ShouldBe(new MarketLimits(new MinMax(0.1m, 10000000000m), new MinMax(0.1m, 99999999m), MinMax.None));

        var btc = new Market("BTC/USDT", "BTC-USDT", "BTC", "USDT", true, new MarketPrecision(null, null), new MarketLimits(MinMax.None, MinMax.None, MinMax.None), null, null);
        var t = KuCoinParsers.Ticker(Envelope("GET /api/v1/market/stats?symbol=BTC-USDT (data)"), btc);
        (t.Bid, t.Ask, t.Last, t.Open, t.High, t.Low).ShouldBe((11328.9m, 11329m, 11328.9m, 11392.5m, 11610m, 11200m));
        (t.BaseVolume, t.QuoteVolume, t.Change, t.ChangePercent).ShouldBe((2282.70993217m, 25984946.157790431m, -63.6m, -0.55m));

        var (trades, page, pages) = KuCoinParsers.Fills(Envelope("GET /api/v1/fills (data)"), _ => btc);
        (page, pages).ShouldBe((1, 251915));
        var f = trades.Single();
        (f.Id, f.OrderId, f.Symbol, f.Side, f.Price, f.Amount, f.Cost, f.Fee, f.FeeCurrency, f.Liquidity).ShouldBe(
            ("5c35c02709e4f67d5266954e", "5c35c02703aa673ceec2a168", "BTC/USDT", TradeSide.Buy, 0.083m, 0.8424304m, 0.0699217232m, 0m, "USDT", TradeLiquidity.Taker));

        KuCoinParsers.Permissions("""{"code":"200000","data":{"permission":"General,Spot"}}""").ShouldBe(new KeyPermissions(true, true, false));
        KuCoinParsers.Permissions("""{"code":"200000","data":{"permission":"General"}}""").ShouldBe(new KeyPermissions(true, false, false));
    }

    [Fact]
    public void codes_map_to_the_contracts_error_types()
    {
        foreach (var (code, type) in new[]
                 {
                     ("400001", ExchangeErrorType.AuthError), ("400002", ExchangeErrorType.AuthError), ("400003", ExchangeErrorType.AuthError),
                     ("400004", ExchangeErrorType.AuthError), ("400005", ExchangeErrorType.AuthError), ("400006", ExchangeErrorType.PermissionDenied),
                     ("400007", ExchangeErrorType.PermissionDenied), ("429000", ExchangeErrorType.RateLimited), ("400100", ExchangeErrorType.InvalidRequest),
                     ("500000", ExchangeErrorType.ExchangeUnavailable), ("123456", ExchangeErrorType.ExchangeError),
                 })
            KuCoinErrors.Find("kucoin", 200, $"{{\"code\":\"{code}\",\"msg\":\"m\"}}", _ => null, null, "/x")!.ErrorType.ShouldBe(type, code);
        var limited = KuCoinErrors.Find("kucoin", 429, """{"code":"429000","msg":"Too Many Requests"}""", h => h == "gw-ratelimit-reset" ? "1200" : null, null, "/x")!;
        (limited.ErrorType, limited.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, TimeSpan.FromSeconds(2)));
        KuCoinErrors.Find("kucoin", 200, """{"code":"200000","data":1}""", _ => null, null, "/x").ShouldBeNull();
        KuCoinErrors.Find("kucoin", 502, "<html/>", _ => null, null, "/x")!.ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
    }

    [Fact]
    public async Task a_key_without_a_passphrase_is_refused_before_anything_is_sent()
    {
        var stub = new StubExchange(_ => StubExchange.Json("{}"));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "kucoin").GetKeyPermissionsAsync(Key with { Passphrase = null }));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.AuthError, "passphrase_required"));
        stub.Requests.ShouldBeEmpty();
    }
}
