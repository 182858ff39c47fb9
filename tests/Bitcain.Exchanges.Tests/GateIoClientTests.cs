using System.Security.Cryptography;
using System.Text;
using Bitcain.Exchanges.GateIo;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>Gate.io v4 against a stub: the signature recomputed from the documented five-line recipe, parsing, labels.</summary>
public class GateIoClientTests
{
    private static readonly ExchangeApiCredentials Key = new("gate-test-key-00000000000000000000", "gate-test-secret-0000000000000000000000000000000000000000000000");

    [Fact]
    public async Task a_signed_call_signs_method_full_path_query_body_hash_and_seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var stub = new StubExchange(_ => StubExchange.Json("""[{"currency":"BTC","available":"0.5","locked":"0.1"}]"""));
        var balances = await TestClients.Client(stub, "gate_io", time, new Dictionary<string, string?> { ["Exchanges:gate_io:BaseUrl"] = "https://gate.test/p" })
            .GetBalancesAsync(Key);
        balances["BTC"].ShouldBe(new Balance("BTC", 0.5m, 0.1m));
        var request = stub.Requests.Single();
        request.Path.ShouldBe("/p/api/v4/spot/accounts");
        (request.Headers["KEY"], request.Headers["Timestamp"]).ShouldBe((Key.ApiKey, "1700000000"));
        var emptyHash = Convert.ToHexString(SHA512.HashData(Array.Empty<byte>())).ToLowerInvariant();
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes(Key.ApiSecret));
        request.Headers["SIGN"].ShouldBe(Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes($"GET\n/api/v4/spot/accounts\n\n{emptyHash}\n1700000000"))).ToLowerInvariant());
    }

    [Fact]
    public void payloads_parse_into_unified_models()
    {
        var market = GateIoParsers.Markets("""[{"id":"ETH_USDT","base":"ETH","quote":"USDT","fee":"0.2","min_base_amount":"0.001","min_quote_amount":"1.0","amount_precision":3,"precision":6,"trade_status":"tradable"}]""", 0.002m, 0.002m).Single();
        (market.Symbol, market.Active, market.Maker).ShouldBe(("ETH/USDT", true, 0.002m));
        market.Precision.ShouldBe(new MarketPrecision(0.001m, 0.000001m));
        market.Limits.Amount.Min.ShouldBe(0.001m);
        var now = DateTimeOffset.UnixEpoch;
        var ticker = GateIoParsers.Ticker("""[{"currency_pair":"ETH_USDT","last":"110","lowest_ask":"110.1","highest_bid":"109.9","change_percentage":"10","base_volume":"5","quote_volume":"550","high_24h":"111","low_24h":"99"}]""", market, now);
        (ticker.Bid, ticker.Ask, ticker.Open, ticker.Change, ticker.ChangePercent).ShouldBe((109.9m, 110.1m, 100m, 10m, 10m));
        var trade = GateIoParsers.Trades("""[{"id":"1","create_time":"1605176741","create_time_ms":"1605176741123.456","currency_pair":"ETH_USDT","side":"sell","role":"maker","amount":"2","price":"10","order_id":"9","fee":"0.04","fee_currency":"USDT"}]""", _ => market).Single();
        (trade.Side, trade.Cost, trade.Fee, trade.Liquidity, trade.Timestamp).ShouldBe((TradeSide.Sell, 20m, 0.04m, TradeLiquidity.Maker, DateTimeOffset.FromUnixTimeMilliseconds(1605176741123)));
    }

    [Fact]
    public void labels_map_to_the_contracts_error_types()
    {
        foreach (var (status, label, type) in new[]
                 {
                     (401, "INVALID_KEY", ExchangeErrorType.AuthError), (401, "INVALID_SIGNATURE", ExchangeErrorType.AuthError),
                     (401, "REQUEST_EXPIRED", ExchangeErrorType.AuthError), (403, "FORBIDDEN", ExchangeErrorType.PermissionDenied),
                     (429, "TOO_MANY_REQUESTS", ExchangeErrorType.RateLimited), (400, "INVALID_CURRENCY_PAIR", ExchangeErrorType.InvalidRequest),
                     (503, "SERVICE_UNAVAILABLE", ExchangeErrorType.ExchangeUnavailable), (400, "SOMETHING_NEW", ExchangeErrorType.InvalidRequest),
                 })
            GateIoErrors.Find("gate_io", status, $"{{\"label\":\"{label}\",\"message\":\"m\"}}", _ => null, null, "/x", DateTimeOffset.UnixEpoch)!
                .ErrorType.ShouldBe(type, label);
        GateIoErrors.Find("gate_io", 429, """{"label":"TOO_MANY_REQUESTS"}""", h => h == "X-Gate-RateLimit-Reset-Timestamp" ? "2500" : null, null, "/x", DateTimeOffset.UnixEpoch)!
            .RetryAfter.ShouldBe(TimeSpan.FromSeconds(3));
        GateIoErrors.Find("gate_io", 200, "[]", _ => null, null, "/x", DateTimeOffset.UnixEpoch).ShouldBeNull();
    }
}
