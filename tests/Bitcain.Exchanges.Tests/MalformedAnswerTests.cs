using System.Net;
using System.Text;
using Bitcain.ExchangeSimulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>
/// Answers no client can read, served through each client's real HTTP path: every one is that exchange's typed
/// <c>malformed_response</c>, naming the path and never the body.
/// </summary>
public class MalformedAnswerTests
{
    /// <summary>A word every malformed body carries: the message must not repeat it.</summary>
    private const string Echo = "echoedsecret";

    public static TheoryData<string, string, string> WrongJsonType => new()
    {
        { "binance", "/api/v3/time", $$$"""{"serverTime":"{{{Echo}}}"}""" },
        { "binanceus", "/api/v3/time", $$$"""{"serverTime":{"{{{Echo}}}":1}}""" },
        { "kraken", "/0/public/Time", $$$"""{"error":[],"result":{"unixtime":"{{{Echo}}}"}}""" },
        { "bybit", "/v5/market/time", $$$$"""{"retCode":0,"retMsg":"OK","result":{"timeSecond":{"{{{{Echo}}}}":1}}}""" },
        { "okx", "/api/v5/public/time", $$$"""{"code":"0","msg":"{{{Echo}}}","data":{"ts":"1"}}""" },
        { "kucoin", "/api/v1/timestamp", $$$"""{"code":"200000","data":"{{{Echo}}}"}""" },
        { "gate_io", "/api/v4/spot/time", $$$"""{"server_time":["{{{Echo}}}"]}""" },
        { "bitfinex", "/v2/platform/status", $$$"""{"{{{Echo}}}":1}""" },
        { "coinbase", "/api/v3/brokerage/time", $$$"""{"epochMillis":"{{{Echo}}}"}""" },
    };

    public static TheoryData<string, string, string> EmptyArray => new()
    {
        { "binance", "/api/v3/time", "[]" },
        { "binanceus", "/api/v3/time", "[]" },
        { "kraken", "/0/public/Time", """{"error":[],"result":[]}""" },
        { "bybit", "/v5/market/time", """{"retCode":0,"retMsg":"OK","result":[]}""" },
        { "okx", "/api/v5/public/time", """{"code":"0","msg":"","data":[]}""" },
        { "kucoin", "/api/v1/timestamp", """{"code":"200000","data":[]}""" },
        { "gate_io", "/api/v4/spot/time", "[]" },
        { "bitfinex", "/v2/platform/status", "[]" },
        { "coinbase", "/api/v3/brokerage/time", "[]" },
    };

    public static TheoryData<string, string, string> TimestampOutOfRange => new()
    {
        { "binance", "/api/v3/time", """{"serverTime":999999999999999999}""" },
        { "binanceus", "/api/v3/time", """{"serverTime":-999999999999999999}""" },
        { "kraken", "/0/public/Time", """{"error":[],"result":{"unixtime":999999999999999}}""" },
        { "bybit", "/v5/market/time", """{"retCode":0,"retMsg":"OK","result":{"timeSecond":"1","timeNano":"999999999999999999000000"}}""" },
        { "okx", "/api/v5/public/time", """{"code":"0","msg":"","data":[{"ts":"999999999999999999"}]}""" },
        { "kucoin", "/api/v1/timestamp", """{"code":"200000","data":999999999999999999}""" },
        { "gate_io", "/api/v4/spot/time", """{"server_time":999999999999999999}""" },
        // Bitfinex's clock is a Date header; its timestamps in bodies are the trades' MTS (see the test below).
        { "coinbase", "/api/v3/brokerage/time", """{"epochMillis":999999999999999999}""" },
    };

    [Theory]
    [MemberData(nameof(WrongJsonType))]
    [MemberData(nameof(EmptyArray))]
    [MemberData(nameof(TimestampOutOfRange))]
    public async Task an_unreadable_answer_is_that_exchanges_malformed_response(string exchange, string path, string body)
    {
        var stub = new StubExchange(_ => StubExchange.Json(body));
        var e = await Should.ThrowAsync<ExchangeException>(() => FirstReadingCall(TestClients.Client(stub, exchange)));

        ShouldBeMalformed(e, exchange, path);
        stub.Requests.ShouldNotBeEmpty();
    }

    public static TheoryData<string, string, int, string, string?, string?> OddErrorBodies => new()
    {
        // A code that is no int32, a throttle instant past the calendar, a reset header past it: reading the error itself fails.
        { "binance", "/api/v3/time", 400, """{"code":1e30,"msg":"x"}""", null, null },
        { "binanceus", "/api/v3/time", 400, """{"code":2147483648,"msg":"x"}""", null, null },
        { "kraken", "/0/public/Time", 200, """{"error":["EService:Throttled: 99999999999999999"]}""", null, null },
        { "bybit", "/v5/market/time", 200, """{"retCode":10006,"retMsg":"Too many visits!"}""", "X-Bapi-Limit-Reset-Timestamp", "999999999999999999" },
        { "okx", "/api/v5/public/time", 200, """{"code":["0"],"msg":"","data":[]}""", null, null },
        { "kucoin", "/api/v1/timestamp", 200, """{"code":{"value":"200000"},"data":1}""", null, null },
        { "gate_io", "/api/v4/spot/time", 429, """{"label":"TOO_MANY_REQUESTS","message":"x"}""", "X-Gate-RateLimit-Reset-Timestamp", "999999999999999999" },
        { "bitfinex", "/v2/platform/status", 200, "\"maintenance\"", null, null },
        { "coinbase", "/api/v3/brokerage/time", 200, "Unauthorized", null, null },
    };

    [Theory]
    [MemberData(nameof(OddErrorBodies))]
    public async Task an_error_answer_that_cannot_be_read_is_a_malformed_response(
        string exchange, string path, int status, string body, string? header, string? headerValue)
    {
        var stub = new StubExchange(_ => header is null
            ? StubExchange.Json(body, (HttpStatusCode)status)
            : StubExchange.Json(body, (HttpStatusCode)status, (header, headerValue!)));
        var e = await Should.ThrowAsync<ExchangeException>(() => FirstReadingCall(TestClients.Client(stub, exchange)));
        ShouldBeMalformed(e, exchange, path);
    }

    public static TheoryData<string> Exchanges => new(ExchangeServiceCollectionExtensions.ImplementedExchanges);

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task an_answer_over_the_size_cap_fails_with_the_cap_named_whether_or_not_its_length_was_announced(string exchange)
    {
        var config = new Dictionary<string, string?> { [$"Exchanges:{exchange}:MaxResponseBytes"] = "1024" };
        var big = Encoding.UTF8.GetBytes($$"""{"pad":"{{new string('x', 4096)}}"}""");
        foreach (var announced in new[] { true, false })
        {
            var served = 0;
            var stub = new StubExchange(_ =>
            {
                served++;
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = announced ? new ByteArrayContent(big) : new StreamContent(new UnannouncedLength(big)),
                };
            });
            var e = await Should.ThrowAsync<ExchangeException>(() => FirstReadingCall(TestClients.Client(stub, exchange, config: config)));
            e.ErrorType.ShouldBe(ExchangeErrorType.MalformedResponse, $"announced: {announced}");
            e.Exchange.ShouldBe(exchange);
            e.Message.ShouldContain("1024 byte cap");
            served.ShouldBe(1);
        }
    }

    [Fact]
    public void the_size_cap_defaults_to_32_mib_and_is_read_per_exchange()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Exchanges:kraken:MaxResponseBytes"] = "2048" }).Build();
        ExchangeServiceCollectionExtensions.ReadOptions(configuration, "binance").MaxResponseBytes.ShouldBe(32L * 1024 * 1024);
        ExchangeServiceCollectionExtensions.ReadOptions(configuration, "kraken").MaxResponseBytes.ShouldBe(2048);
    }

    [Fact]
    public async Task a_bitfinex_trade_with_an_out_of_range_timestamp_is_a_malformed_response()
    {
        var stub = new StubExchange(c => StubExchange.Json(c.Path switch
        {
            var p when p.EndsWith("pub:list:pair:exchange", StringComparison.Ordinal) => """[["BTCUSD"]]""",
            var p when p.EndsWith("pub:info:pair", StringComparison.Ordinal) => "[[]]",
            var p when p.EndsWith("/v2/tickers", StringComparison.Ordinal) => "[]",
            _ => """[[1,"tBTCUSD",999999999999999999,2,0.1,50000,"EXCHANGE LIMIT",50000,1,-0.1,"USD"]]""",
        }));
        var client = TestClients.Client(stub, "bitfinex");
        var e = await Should.ThrowAsync<ExchangeException>(async () =>
        {
            await foreach (var _ in client.GetMyTradesAsync(new ExchangeApiCredentials("bfx-key", "bfx-secret"), new MyTradesQuery(null, null))) { }
        });
        ShouldBeMalformed(e, "bitfinex", "/v2/auth/r/trades/hist");
    }

    [Fact]
    public async Task a_binance_trade_id_that_is_no_number_is_a_malformed_response_not_a_crash_of_the_pager()
    {
        var stub = new StubExchange(c => StubExchange.Json(c.Path.EndsWith("exchangeInfo", StringComparison.Ordinal)
            ? Fixture.Text("raw/binance.exchangeInfo.BTCUSDT-permissionSets.go-binance-test.json")
            : """[{"symbol":"BTCUSDT","id":"abc","orderId":1,"price":"1","qty":"1","quoteQty":"1","commission":"0","commissionAsset":"BTC","time":1499865549590,"isBuyer":true,"isMaker":false}]"""));
        var client = TestClients.Client(stub, "binance");
        var e = await Should.ThrowAsync<ExchangeException>(async () =>
        {
            await foreach (var _ in client.GetMyTradesAsync(TestClients.Binance, new MyTradesQuery("BTC/USDT", PageSize: 1))) { }
        });
        ShouldBeMalformed(e, "binance", "/api/v3/myTrades");
    }

    [Fact]
    public async Task an_okx_bill_id_that_is_no_number_is_a_malformed_response_rather_than_a_cursor_that_cannot_resume()
    {
        var stub = new StubExchange(c => StubExchange.Json(c.Path.EndsWith("/instruments", StringComparison.Ordinal)
            ? Fixture.Text("raw/okx.instruments.SPOT.json")
            : """{"code":"0","msg":"","data":[{"instId":"BTC-USD","tradeId":"1","ordId":"2","fillPx":"1","fillSz":"1","side":"buy","ts":"1597026383085","billId":"abc"}]}"""));
        var client = TestClients.Client(stub, "okx");
        var e = await Should.ThrowAsync<ExchangeException>(async () =>
        {
            await foreach (var _ in client.GetMyTradesAsync(new ExchangeApiCredentials("okx-key", "okx-secret", "okx-pass"), new MyTradesQuery(PageSize: 1))) { }
        });
        ShouldBeMalformed(e, "okx", "/api/v5/trade/fills-history");
    }

    [Fact]
    public async Task health_checked_exchange_by_exchange_fails_only_the_one_that_answered_garbage()
    {
        await using var sim = await SimulatorHost.StartAsync();
        sim.Faults.Add(new Fault(FaultKind.MalformedJson) { Exchange = "kraken", Path = "/0/public/SystemStatus" });
        var settings = ExchangeServiceCollectionExtensions.ImplementedExchanges.ToDictionary(id => $"Exchanges:{id}:BaseUrl", id => (string?)sim.BaseUrl(id));
        var clients = new ServiceCollection()
            .AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>();

        var outcomes = await Task.WhenAll(clients.Exchanges.Select(async id =>
        {
            try
            {
                return (id, (await ExchangeHealthChecks.CheckAsync(clients.Get(id), CancellationToken.None)).Status.ToString());
            }
            catch (ExchangeException e)
            {
                e.Exchange.ShouldBe(id);
                return (id, e.ErrorTypeName);
            }
        }));

        outcomes.ShouldContain(("kraken", "malformed_response"));
        outcomes.Where(o => o.id != "kraken").ShouldAllBe(o => o.Item2 == nameof(ExchangeSystemStatus.Normal));
    }

    [Fact]
    public async Task a_health_check_that_throws_something_untyped_is_reported_as_that_exchanges_malformed_response()
    {
        var e = await Should.ThrowAsync<ExchangeException>(() => ExchangeHealthChecks.CheckAsync(new ThrowingClient(), CancellationToken.None));
        (e.Exchange, e.ErrorType).ShouldBe(("kraken", ExchangeErrorType.MalformedResponse));
        e.Message.ShouldNotContain(Echo);
    }

    /// <summary>The first call of each client that reads a body: the clock (Bitfinex: the platform status).</summary>
    private static Task FirstReadingCall(IExchangeClient client) =>
        client.Exchange == "bitfinex" ? client.GetHealthAsync() : client.GetServerTimeAsync();

    private static void ShouldBeMalformed(ExchangeException e, string exchange, string path)
    {
        (e.Exchange, e.ErrorType, e.ErrorTypeName).ShouldBe((exchange, ExchangeErrorType.MalformedResponse, "malformed_response"));
        e.Message.ShouldContain(path);
        e.Message.ShouldNotContain(Echo);
        e.Message.ShouldNotContain("?");
        (e.ExchangeMessage ?? "").ShouldNotContain(Echo);
    }

    /// <summary>A body whose length is not known before it is read (as with chunked transfer).</summary>
    private sealed class UnannouncedLength(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private sealed class ThrowingClient : IExchangeClient
    {
        public string Exchange => "kraken";
        public ExchangeCapabilities Capabilities => ExchangeCapabilities.Health;
        public Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default) => throw new InvalidOperationException(Echo);
        public Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) => throw new NotSupportedException();
        public IAsyncEnumerable<TradePage> GetMyTradesAsync(ExchangeApiCredentials credentials, MyTradesQuery query, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
