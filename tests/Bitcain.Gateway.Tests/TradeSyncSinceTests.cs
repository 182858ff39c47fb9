using System.Text.Json;
using Bitcain.Contracts.Market;
using Bitcain.Gateway.Api;
using Bitcain.Edge;
using Bitcain.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests;

/// <summary><c>POST /api/exchange/trades/sync</c>'s <c>since</c> lies between the exchange's first day of trading and now.</summary>
public sealed class TradeSyncSinceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 23, 30, 0, TimeSpan.Zero);

    private static ParamValues Read(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return SyncEndpoints.ReadTradeSync(context.Request, Now);
    }

    [Fact]
    public void a_since_before_the_exchange_opened_is_a_greater_than_equal_that_names_the_floor()
    {
        var values = Read("?exchange=binance_us&since=2015-01-01T00:00:00Z");

        var body = JsonSerializer.Serialize(new { detail = values.Errors }, EdgeJson.Options);
        body.ShouldBe("""{"detail":[{"type":"greater_than_equal","loc":["query","since"],"msg":"Input should be greater than or equal to 2019-09-18T00:00:00Z","input":"2015-01-01T00:00:00Z","ctx":{"ge":"2019-09-18T00:00:00Z"}}]}""");
    }

    [Theory]
    [InlineData("binance", "2017-07-14")]
    [InlineData("kraken", "2013-09-10")]
    [InlineData("coinbase", "2015-01-26")]
    public void the_floor_itself_is_accepted_and_the_day_before_it_is_not(string exchange, string floor)
    {
        Read($"?exchange={exchange}&since={floor}").IsValid.ShouldBeTrue();
        var dayBefore = DateTimeOffset.Parse(floor + "T00:00:00Z").AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var error = Read($"?exchange={exchange}&since={dayBefore}").Errors.ShouldHaveSingleItem();
        error.Ctx!["ge"].ShouldBe(floor + "T00:00:00Z");
    }

    [Fact]
    public void a_since_in_the_future_is_a_datetime_past()
    {
        var error = Read("?exchange=kraken&since=2027-01-01").Errors.ShouldHaveSingleItem();
        error.Type.ShouldBe("datetime_past");
        error.Loc.ShouldBe(["query", "since"]);
        error.Msg.ShouldBe("Input should be in the past");
        error.Input.ShouldBe("2027-01-01");
    }

    [Fact]
    public void the_floor_is_reported_beside_the_other_errors_in_parameter_order()
    {
        var values = Read("?symbol=BTCUSDT&exchange=kraken&since=2001-01-01&limit=0");
        values.Errors.Select(e => (string)e.Loc[1]).ShouldBe(["since", "limit"]);
        values.Errors[0].Type.ShouldBe("greater_than_equal");
    }

    [Fact]
    public void without_a_known_exchange_since_is_only_parsed()
    {
        var values = Read("?exchange=ftx&since=2001-01-01");
        values.Errors.Select(e => (string)e.Loc[1]).ShouldBe(["exchange"]);
        Read("?since=2001-01-01").Errors.Select(e => e.Type).ShouldBe(["missing"]);
    }

    [Fact]
    public void a_since_between_the_floor_and_now_is_valid()
    {
        var values = Read("?exchange=bybit&since=2024-03-01");
        values.IsValid.ShouldBeTrue();
        values.DateTime("since").ShouldBe(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void exchange_info_reports_the_floor_as_trading_since()
    {
        var info = new ExchangeInfo("binanceus", "Binance.US", "https://www.binance.us", "https://api.binance.us", true, [], 0.006m, 0.006m, [],
            new ExchangeHealthInfo("binanceus", "ok", 12, Now, null, false));

        var body = JsonDocument.Parse(JsonSerializer.Serialize(ExchangeInfoResponse.From(info), EdgeJson.Options));
        body.RootElement.GetProperty("trading_since").GetString().ShouldBe("2019-09-18T00:00:00Z");
    }
}
