using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bitcain.Exchanges.Bybit;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>Bybit v5 against a stub exchange: what is sent (signature recomputed here from the documented recipe),
/// and how Bybit's own documented examples and error codes are read.</summary>
public class BybitClientTests
{
    private static readonly ExchangeApiCredentials Key = new("bybit-test-key-0123", "bybit-test-secret-0123456789abcdefghij");

    private static string Example(string name) =>
        Fixture.Raw(Fixture.Json("docs-examples/bybit.v5.docs-examples.json").GetProperty("examples").GetProperty(name).GetProperty("response"));

    private static string Instruments => Example("GET /v5/market/instruments-info?category=spot&symbol=BTCUSDT");

    [Fact]
    public async Task a_signed_call_carries_the_documented_headers_and_an_hmac_of_timestamp_key_window_and_query()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        var stub = new StubExchange(_ => StubExchange.Json(Example("GET /v5/account/wallet-balance?accountType=UNIFIED&coin=BTC")));
        await TestClients.Client(stub, "bybit", time).GetBalancesAsync(Key);

        var request = stub.Requests.Single();
        (request.Method, request.Path, request.QueryString).ShouldBe((HttpMethod.Get, "/v5/account/wallet-balance", "accountType=UNIFIED"));
        request.Headers["X-BAPI-API-KEY"].ShouldBe(Key.ApiKey);
        request.Headers["X-BAPI-TIMESTAMP"].ShouldBe("1700000000123");
        request.Headers["X-BAPI-RECV-WINDOW"].ShouldBe("5000");
        // docs/v5/guide.mdx: HMAC_SHA256(secret, timestamp + api_key + recv_window + queryString), lowercase hex.
        var expected = Convert.ToHexString(new HMACSHA256(Encoding.UTF8.GetBytes(Key.ApiSecret))
            .ComputeHash(Encoding.UTF8.GetBytes("1700000000123" + Key.ApiKey + "5000" + "accountType=UNIFIED"))).ToLowerInvariant();
        request.Headers["X-BAPI-SIGN"].ShouldBe(expected);
    }

    [Fact]
    public void the_signer_follows_the_documented_string_layout_for_a_body()
    {
        const string body = """{"category":"spot","symbol":"BTCUSDT"}""";
        var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"),
            Encoding.UTF8.GetBytes("1658385579423" + "XXXXXXXXXX" + "5000" + body))).ToLowerInvariant();
        BybitSigner.Sign("s3cret", "1658385579423", "XXXXXXXXXX", "5000", body).ShouldBe(expected);
        BybitSigner.Payload("1658385579423", "XXXXXXXXXX", "5000", "category=spot").ShouldBe("1658385579423XXXXXXXXXX5000category=spot");
    }

    [Fact]
    public void the_documented_examples_parse_into_unified_models()
    {
        BybitParsers.ServerTime(Example("GET /v5/market/time")).ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1688639403423));

        var (markets, cursor) = BybitParsers.Markets(Instruments, 0.001m, 0.001m);
        cursor.ShouldBeNull();
        var btc = markets.Single();
        (btc.Symbol, btc.ExchangeSymbol, btc.Active).ShouldBe(("BTC/USDT", "BTCUSDT", true));
        btc.Precision.ShouldBe(new MarketPrecision(0.000001m, 0.1m));
        btc.Limits.ShouldBe(new MarketLimits(new MinMax(0.000011m, 83m), new MinMax(5m, 8000000m), MinMax.None));

        var ticker = BybitParsers.Ticker(Example("GET /v5/market/tickers?category=spot&symbol=BTCUSDT"), btc);
        (ticker.Bid, ticker.Ask, ticker.Last, ticker.Open).ShouldBe((20517.96m, 20527.77m, 20533.13m, 20393.48m));
        (ticker.High, ticker.Low, ticker.BaseVolume, ticker.QuoteVolume).ShouldBe((21128.12m, 20318.89m, 11801.27771m, 243765620.65899866m));
        (ticker.Change, ticker.ChangePercent).ShouldBe((139.65m, 0.68m));
        ticker.Timestamp.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1673859087947));

        BybitParsers.Balances(Example("GET /v5/account/wallet-balance?accountType=UNIFIED&coin=BTC"))["BTC"].ShouldBe(new Balance("BTC", 0m, 0m));

        var (trades, next) = BybitParsers.Executions(Example("GET /v5/execution/list?category=linear&limit=1"), _ => null);
        next.ShouldBe("132766%3A2%2C132766%3A2");
        var t = trades.Single();
        (t.Id, t.OrderId, t.Side, t.Price, t.Amount, t.Cost, t.Fee, t.FeeCurrency, t.Liquidity).ShouldBe(
            ("e0cbe81d-0f18-5866-9415-cf319b5dab3b", "8c065341-7b52-4ca9-ac2c-37e31ac55c94", TradeSide.Buy, 1190.15m, 0.1m, 119.015m, 0.071409m, null, TradeLiquidity.Taker));
        t.Timestamp.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1672282722429));

        // The documented key is readOnly=1: whatever it lists, it cannot trade or withdraw.
        BybitParsers.Permissions(Example("GET /v5/user/query-api")).ShouldBe(new KeyPermissions(true, false, false));
        BybitParsers.Permissions("""{"retCode":0,"result":{"readOnly":0,"permissions":{"Spot":["SpotTrade"],"Wallet":["Withdraw"]}}}""")
            .ShouldBe(new KeyPermissions(true, true, true));
    }

    [Theory]
    [InlineData(10003, 200, ExchangeErrorType.AuthError)]        // invalid api key
    [InlineData(10004, 200, ExchangeErrorType.AuthError)]        // sign error
    [InlineData(10002, 200, ExchangeErrorType.AuthError)]        // timestamp outside recv_window
    [InlineData(33004, 200, ExchangeErrorType.AuthError)]        // api key expired
    [InlineData(10005, 200, ExchangeErrorType.PermissionDenied)] // permission denied for current apikey
    [InlineData(10010, 200, ExchangeErrorType.PermissionDenied)] // unmatched IP
    [InlineData(10006, 200, ExchangeErrorType.RateLimited)]      // too many visits
    [InlineData(10016, 503, ExchangeErrorType.ExchangeUnavailable)]
    [InlineData(10001, 200, ExchangeErrorType.InvalidRequest)]
    [InlineData(99999, 200, ExchangeErrorType.ExchangeError)]
    public void bybit_codes_map_to_the_contracts_error_types(int code, int status, ExchangeErrorType expected)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var e = BybitErrors.Find("bybit", status, "{\"retCode\":" + code + ",\"retMsg\":\"x\",\"result\":{}}",
            h => h == "X-Bapi-Limit-Reset-Timestamp" ? "1700000002500" : null, null, "/v5/x", now).ShouldNotBeNull();
        (e.ErrorType, e.ExchangeCode).ShouldBe((expected, code.ToString(CultureInfo.InvariantCulture)));
        if (expected == ExchangeErrorType.RateLimited) e.RetryAfter.ShouldBe(TimeSpan.FromSeconds(3));
        BybitErrors.Find("bybit", 200, """{"retCode":0,"retMsg":"OK","result":{}}""", _ => null, null, "/v5/x", now).ShouldBeNull();
    }

    [Fact]
    public void an_ip_ban_403_waits_ten_minutes_and_a_5xx_without_envelope_is_unavailable()
    {
        var now = DateTimeOffset.UnixEpoch;
        var ban = BybitErrors.Find("bybit", 403, "access too frequent", _ => null, null, "/v5/x", now).ShouldNotBeNull();
        (ban.ErrorType, ban.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, TimeSpan.FromMinutes(10)));
        BybitErrors.Find("bybit", 502, "<html/>", _ => null, null, "/v5/x", now)!.ErrorType.ShouldBe(ExchangeErrorType.ExchangeUnavailable);
        BybitErrors.Find("bybit", 401, "", _ => null, null, "/v5/x", now)!.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
    }

    [Fact]
    public async Task a_sign_error_that_echoes_the_origin_string_does_not_leak_the_key()
    {
        var stub = new StubExchange(c => StubExchange.Json(
            $$$"""{"retCode":10004,"retMsg":"error sign! origin_string[{{{c.Headers["X-BAPI-TIMESTAMP"]}}}{{{Key.ApiKey}}}5000accountType=UNIFIED] sign[{{{c.Headers["X-BAPI-SIGN"]}}}]","result":{}}"""));
        var e = await Should.ThrowAsync<ExchangeException>(() => TestClients.Client(stub, "bybit").GetBalancesAsync(Key));
        e.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
        foreach (var text in new[] { e.Message, e.ExchangeMessage!, e.ToString() })
        {
            text.ShouldNotContain(Key.ApiKey);
            text.ShouldNotContain(stub.Requests.Single().Headers["X-BAPI-SIGN"]);
        }
    }

    [Fact]
    public async Task a_from_trade_id_is_refused_before_any_private_call()
    {
        var stub = new StubExchange(_ => StubExchange.Json(Instruments));
        var e = await Should.ThrowAsync<ExchangeException>(async () =>
            await TestClients.Client(stub, "bybit").GetMyTradesAsync(Key, new MyTradesQuery(FromTradeId: "1")).ToListAsync());
        e.ErrorType.ShouldBe(ExchangeErrorType.InvalidRequest);
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task trades_walk_seven_day_windows_from_since_to_now_following_each_cursor()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var since = now - TimeSpan.FromDays(10);
        var stub = new StubExchange(c =>
        {
            if (c.Path.EndsWith("instruments-info", StringComparison.Ordinal)) return StubExchange.Json(Instruments);
            var first = !c.Query.ContainsKey("cursor") && c.Query["startTime"] == since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var exec = $$"""{"symbol":"BTCUSDT","side":"Sell","orderId":"o","execTime":"{{c.Query["startTime"]}}","execFee":"0.1","execId":"{{c.Query["startTime"]}}{{(c.Query.ContainsKey("cursor") ? "b" : "a")}}","execPrice":"10","execQty":"2","execType":"Trade","isMaker":true,"feeCurrency":"USDT"}""";
            return StubExchange.Json($$$"""{"retCode":0,"retMsg":"OK","result":{"nextPageCursor":"{{{(first ? "next%3A1" : "")}}}","category":"spot","list":[{{{exec}}}]},"time":1}""");
        });
        var pages = await TestClients.Client(stub, "bybit", new FakeTimeProvider(now))
            .GetMyTradesAsync(Key, new MyTradesQuery("BTC/USDT", since)).ToListAsync();

        var calls = stub.To("/v5/execution/list");
        calls.Count.ShouldBe(3); // window 1, its second page, window 2
        calls[0].Query["startTime"].ShouldBe(since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        calls[0].Query["endTime"].ShouldBe((since + TimeSpan.FromDays(7)).ToUnixTimeMilliseconds() - 1 + "");
        calls[1].Query["cursor"].ShouldBe("next:1");
        calls[2].Query["startTime"].ShouldBe((since + TimeSpan.FromDays(7)).ToUnixTimeMilliseconds() + "");
        calls[2].Query["endTime"].ShouldBe(now.ToUnixTimeMilliseconds() + "");
        calls.ShouldAllBe(c => c.Query["symbol"] == "BTCUSDT" && c.Query["category"] == "spot" && c.Query["limit"] == "100");
        pages.Select(p => p.NextCursor is null).ShouldBe([false, false, true]);
        var sell = pages[0].Trades.Single();
        (sell.Symbol, sell.Side, sell.Cost, sell.FeeCurrency, sell.Liquidity).ShouldBe(("BTC/USDT", TradeSide.Sell, 20m, "USDT", TradeLiquidity.Maker));
    }
}
