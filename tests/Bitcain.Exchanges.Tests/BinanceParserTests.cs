using System.Text.Json;
using Bitcain.Exchanges.Binance;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class BinanceParserTests
{
    private static JsonElement Ccxt(string file, string method) =>
        Fixture.Json($"ccxt/{file}").GetProperty("methods").GetProperty(method)[0];

    private static JsonElement Docs(string endpoint) => Fixture.Json("docs-examples/binance.docs-examples.json").GetProperty(endpoint);

    private static readonly Market LtcUsdt = Unified("LTC/USDT", "LTCUSDT");
    private static readonly Market BtcUsdt = Unified("BTC/USDT", "BTCUSDT");

    private static Market Unified(string symbol, string id) =>
        new(symbol, id, symbol.Split('/')[0], symbol.Split('/')[1], true, new(null, null), new(MinMax.None, MinMax.None, MinMax.None), null, null);

    [Fact]
    public void exchange_info_filters_become_precision_and_limits()
    {
        var m = BinanceParsers.Markets(Fixture.Text("raw/binance.exchangeInfo.ETHBTC.go-binance-test.json"), 0.001m, 0.001m).Single();
        m.Symbol.ShouldBe("ETH/BTC");
        m.ExchangeSymbol.ShouldBe("ETHBTC");
        (m.Base, m.Quote, m.Active).ShouldBe(("ETH", "BTC", true));
        m.Precision.ShouldBe(new MarketPrecision(0.0001m, 0.00001m));
        m.Limits.Amount.ShouldBe(new MinMax(0.0001m, 100000m));
        m.Limits.Price.ShouldBe(new MinMax(0.00001m, 922327m));
        m.Limits.Cost.ShouldBe(new MinMax(0.0001m, 9000000m));
        (m.Maker, m.Taker).ShouldBe((0.001m, 0.001m));
    }

    [Fact]
    public void a_market_with_only_a_price_filter_has_no_amount_step_rather_than_one_taken_from_the_asset_precision()
    {
        var m = BinanceParsers.Markets(Fixture.Text("raw/binance.exchangeInfo.BTCUSDT-permissionSets.go-binance-test.json"), null, null).Single();
        m.Symbol.ShouldBe("BTC/USDT");
        m.Precision.ShouldBe(new MarketPrecision(null, 0.01m));
        m.Limits.Price.ShouldBe(new MinMax(0.01m, 1000000m));
        m.Limits.Amount.ShouldBe(MinMax.None);
        m.Limits.Cost.ShouldBe(MinMax.None);
    }

    [Fact]
    public void the_docs_example_without_filters_still_parses_and_claims_no_steps()
    {
        var m = BinanceParsers.Markets(Fixture.Text("raw/binance.exchangeInfo.docs-example.json"), null, null).Single();
        m.Precision.ShouldBe(new MarketPrecision(null, null));
    }

    [Fact]
    public void the_legacy_min_notional_filter_sets_the_minimum_cost_and_a_halted_symbol_is_inactive()
    {
        const string json = """
            {"symbols":[{"symbol":"BNBBTC","status":"BREAK","baseAsset":"BNB","quoteAsset":"BTC","baseAssetPrecision":8,"quotePrecision":8,
            "filters":[{"filterType":"MIN_NOTIONAL","minNotional":"0.00100000","applyToMarket":true,"avgPriceMins":5},
                       {"filterType":"LOT_SIZE","minQty":"0.01000000","maxQty":"9000.00000000","stepSize":"0.01000000"}]}]}
            """;
        var m = BinanceParsers.Markets(json, null, null).Single();
        m.Limits.Cost.ShouldBe(new MinMax(0.001m, null));
        m.Precision.Amount.ShouldBe(0.01m);
        m.Active.ShouldBeFalse();
    }

    [Theory]
    [InlineData("binance.response.fetchTicker+fetchTrades.spot.json")]
    [InlineData("binanceus.response.fetchTicker+fetchTrades.json")]
    public void ticker_agrees_with_ccxt_field_by_field(string file)
    {
        var fixture = Ccxt(file, "fetchTicker");
        var ccxt = fixture.GetProperty("parsedResponse");
        var t = BinanceParsers.Ticker(Fixture.Raw(fixture.GetProperty("httpResponse")), BtcUsdt);
        t.Symbol.ShouldBe(ccxt.GetProperty("symbol").GetString());
        t.ExchangeSymbol.ShouldBe("BTCUSDT");
        t.Bid.ShouldBe(Fixture.Dec(ccxt.GetProperty("bid")));
        t.Ask.ShouldBe(Fixture.Dec(ccxt.GetProperty("ask")));
        t.Last.ShouldBe(Fixture.Dec(ccxt.GetProperty("last")));
        t.Open.ShouldBe(Fixture.Dec(ccxt.GetProperty("open")));
        t.High.ShouldBe(Fixture.Dec(ccxt.GetProperty("high")));
        t.Low.ShouldBe(Fixture.Dec(ccxt.GetProperty("low")));
        t.Change.ShouldBe(Fixture.Dec(ccxt.GetProperty("change")));
        t.ChangePercent.ShouldBe(Fixture.Dec(ccxt.GetProperty("percentage")));
        t.BaseVolume.ShouldBe(Fixture.Dec(ccxt.GetProperty("baseVolume")));
        // ccxt's quoteVolume went through a double; ours is the exchange's decimal string.
        ((double)t.QuoteVolume!.Value).ShouldBe(ccxt.GetProperty("quoteVolume").GetDouble(), 1e-6);
        t.Timestamp.ToUnixTimeMilliseconds().ShouldBe(ccxt.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public void ticker_reads_integer_fields_sent_as_json_numbers()
    {
        var t = BinanceParsers.Ticker(Fixture.Raw(Docs("GET /api/v3/ticker/24hr?symbol=BNBBTC").GetProperty("response")), Unified("BNB/BTC", "BNBBTC"));
        t.Timestamp.ToUnixTimeMilliseconds().ShouldBe(1499869899040);
        t.ChangePercent.ShouldBe(-95.96m);
        t.QuoteVolume.ShouldBe(15.3m);
    }

    [Fact]
    public void balances_agree_with_ccxt()
    {
        var fixture = Ccxt("binance.response.fetchBalance+fetchMyTrades.spot.json", "fetchBalance");
        var ccxt = fixture.GetProperty("parsedResponse");
        var balances = BinanceParsers.Balances(Fixture.Raw(fixture.GetProperty("httpResponse")));
        balances.Keys.Order().ShouldBe(["BTC", "ETH", "LTC"]);
        foreach (var (currency, b) in balances)
        {
            b.Free.ShouldBe(Fixture.Dec(ccxt.GetProperty(currency).GetProperty("free")));
            b.Locked.ShouldBe(Fixture.Dec(ccxt.GetProperty(currency).GetProperty("used")));
            b.Total.ShouldBe(Fixture.Dec(ccxt.GetProperty(currency).GetProperty("total")));
        }
    }

    [Fact]
    public void balances_parse_the_docs_account_with_numeric_fields()
    {
        var balances = BinanceParsers.Balances(Fixture.Raw(Docs("GET /api/v3/account").GetProperty("response")));
        balances["BTC"].ShouldBe(new Balance("BTC", 4723846.89208129m, 0m));
        balances["LTC"].Total.ShouldBe(4763368.68006011m);
    }

    [Fact]
    public void my_trades_agree_with_ccxt_field_by_field()
    {
        var fixture = Ccxt("binance.response.fetchBalance+fetchMyTrades.spot.json", "fetchMyTrades");
        var ccxt = fixture.GetProperty("parsedResponse")[0];
        var t = BinanceParsers.MyTrades(Fixture.Raw(fixture.GetProperty("httpResponse")), id => id == "LTCUSDT" ? LtcUsdt : null).Single();
        t.Id.ShouldBe(ccxt.GetProperty("id").GetString());
        t.OrderId.ShouldBe(ccxt.GetProperty("order").GetString());
        t.Symbol.ShouldBe(ccxt.GetProperty("symbol").GetString());
        t.ExchangeSymbol.ShouldBe("LTCUSDT");
        t.Side.ToString().ToLowerInvariant().ShouldBe(ccxt.GetProperty("side").GetString());
        t.Liquidity.ToString()!.ToLowerInvariant().ShouldBe(ccxt.GetProperty("takerOrMaker").GetString());
        t.Price.ShouldBe(Fixture.Dec(ccxt.GetProperty("price")));
        t.Amount.ShouldBe(Fixture.Dec(ccxt.GetProperty("amount")));
        t.Cost.ShouldBe(Fixture.Dec(ccxt.GetProperty("cost")));
        t.Fee.ShouldBe(Fixture.Dec(ccxt.GetProperty("fee").GetProperty("cost")));
        t.FeeCurrency.ShouldBe(ccxt.GetProperty("fee").GetProperty("currency").GetString());
        t.Timestamp.ToUnixTimeMilliseconds().ShouldBe(ccxt.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public void my_trades_read_ids_and_times_sent_as_numbers_and_a_buyer_maker_trade()
    {
        var t = BinanceParsers.MyTrades(Fixture.Raw(Docs("GET /api/v3/myTrades?symbol=BNBBTC").GetProperty("response")), _ => null).Single();
        (t.Id, t.OrderId).ShouldBe(("28457", "100234"));
        t.Side.ShouldBe(TradeSide.Buy);
        t.Liquidity.ShouldBe(TradeLiquidity.Taker);
        (t.Fee, t.FeeCurrency).ShouldBe((10.1m, "BNB"));
        t.Cost.ShouldBe(48.000012m);
        t.Timestamp.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1499865549590));
    }

    [Fact]
    public void api_restrictions_map_to_read_trade_withdraw()
    {
        var p = BinanceParsers.ApiRestrictions(Fixture.Raw(Docs("GET /sapi/v1/account/apiRestrictions").GetProperty("response_en")));
        p.ShouldBe(new KeyPermissions(true, false, false));
        p.Names.ShouldBe(["read"]);
        BinanceParsers.ApiRestrictions("""{"enableReading":true,"enableSpotAndMarginTrading":true,"enableWithdrawals":true}""")
            .Names.ShouldBe(["read", "trade", "withdraw"]);
    }

    [Fact]
    public void binance_us_permissions_come_from_the_account_flags()
    {
        BinanceParsers.AccountPermissions(Fixture.Raw(Docs("GET /api/v3/account").GetProperty("response"))).ShouldBe(new KeyPermissions(true, true, true));
        BinanceParsers.AccountPermissions("""{"canTrade":false,"canWithdraw":false,"balances":[]}""").Names.ShouldBe(["read"]);
    }

    [Fact]
    public void bnb_burn_dust_and_system_status_parse_the_docs_examples()
    {
        BinanceParsers.BnbBurn(Fixture.Raw(Docs("GET /sapi/v1/bnbBurn").GetProperty("response"))).ShouldBe(new BnbBurnSettings(true, false));
        var dust = BinanceParsers.DustBtc(Fixture.Raw(Docs("POST /sapi/v1/asset/dust-btc").GetProperty("response")));
        dust.Assets.Single().ShouldBe(new DustAsset("ADA", 6.21m, 0.00016848m, 0.01777302m));
        (dust.TotalToBtc, dust.TotalToBnb).ShouldBe((0.00016848m, 0.01777302m));
        BinanceParsers.SystemStatus(Fixture.Text("raw/binance.systemStatus.json")).ShouldBe((ExchangeSystemStatus.Normal, "normal"));
        BinanceParsers.SystemStatus("""{"status":1,"msg":"system maintenance"}""").Status.ShouldBe(ExchangeSystemStatus.Maintenance);
        BinanceParsers.ServerTime(Fixture.Raw(Docs("GET /api/v3/time").GetProperty("response"))).ToUnixTimeMilliseconds().ShouldBe(1499827319559);
    }

    [Fact]
    public void binance_us_dust_assets_read_its_own_shape()
    {
        var dust = BinanceParsers.UsDustAssets("""
            {"convertibleAssets":[{"fromAsset":"ADA","availableBalance":"0.5","receivedAsset":"0.0012"},{"fromAsset":"DOT","availableBalance":"0.1","receivedAsset":"0.0008"}],
             "withinRestrictedTime":false}
            """);
        dust.Assets.Select(a => (a.Asset, a.Free, a.ToBnb)).ShouldBe([("ADA", 0.5m, 0.0012m), ("DOT", 0.1m, 0.0008m)]);
        dust.TotalToBnb.ShouldBe(0.002m);
    }
}
