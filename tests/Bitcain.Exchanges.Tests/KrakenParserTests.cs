using System.Text.Json;
using Bitcain.Exchanges.Kraken;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class KrakenParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void asset_pairs_agree_with_ccxt_parsed_market()
    {
        var ccxt = Fixture.Json("ccxt/kraken.markets.BTC-USD.parsed.json").GetProperty("BTC/USD");
        var m = KrakenParsers.Markets(Fixture.Text("raw/kraken.AssetPairs.docs-example.json")).Single(x => x.Symbol == "BTC/USD");
        m.ExchangeSymbol.ShouldBe(ccxt.GetProperty("id").GetString());
        m.Base.ShouldBe(ccxt.GetProperty("base").GetString());
        m.Quote.ShouldBe(ccxt.GetProperty("quote").GetString());
        m.Active.ShouldBe(ccxt.GetProperty("active").GetBoolean());
        m.Precision.Amount.ShouldBe(Fixture.Dec(ccxt.GetProperty("precision").GetProperty("amount")));
        m.Precision.Price.ShouldBe(Fixture.Dec(ccxt.GetProperty("precision").GetProperty("price")));
        m.Limits.Amount.Min.ShouldBe(Fixture.Dec(ccxt.GetProperty("limits").GetProperty("amount").GetProperty("min")));
        // ccxt fills limits.price.min with the tick; Kraken publishes no minimum price, so we claim none.
        m.Limits.Price.ShouldBe(MinMax.None);
        m.Maker.ShouldBe(Fixture.Dec(ccxt.GetProperty("maker")));
        m.Taker.ShouldBe(Fixture.Dec(ccxt.GetProperty("taker")));
        // That ccxt version leaves limits.cost empty; Kraken's costmin is the minimum order cost, so we keep it.
        m.Limits.Cost.Min.ShouldBe(0.5m);
    }

    [Fact]
    public void asset_pairs_normalize_legacy_codes_on_both_sides()
    {
        var m = KrakenParsers.Markets(Fixture.Text("raw/kraken.AssetPairs.docs-example.json")).Single(x => x.ExchangeSymbol == "XETHXXBT");
        m.Symbol.ShouldBe("ETH/BTC");
        m.Precision.ShouldBe(new MarketPrecision(0.00000001m, 0.00001m));
        m.Limits.ShouldBe(new MarketLimits(new MinMax(0.01m, null), new MinMax(0.00002m, null), MinMax.None));
    }

    [Fact]
    public void asset_pairs_from_a_captured_xbtusdt_response()
    {
        var m = KrakenParsers.Markets(Fixture.Text("raw/kraken.AssetPairs.XBTUSDT.nautilus.json")).Single();
        (m.Symbol, m.ExchangeSymbol, m.Base, m.Quote).ShouldBe(("BTC/USDT", "XBTUSDT", "BTC", "USDT"));
        m.Precision.ShouldBe(new MarketPrecision(0.00000001m, 0.1m));
        m.Limits.Amount.Min.ShouldBe(0.00005m);
        m.Limits.Cost.Min.ShouldBe(0.5m);
        (m.Maker, m.Taker).ShouldBe((0.0025m, 0.004m));
    }

    [Fact]
    public void a_pair_without_tick_size_takes_its_price_step_from_pair_decimals_and_offline_pairs_are_inactive()
    {
        var m = KrakenParsers.Markets("""{"error":[],"result":{"XLTCZUSD":{"altname":"LTCUSD","base":"XLTC","quote":"ZUSD","pair_decimals":2,"lot_decimals":8,"ordermin":"0.05","status":"delisted"},"XBTUSD.d":{"altname":"XBTUSD.d","base":"XXBT","quote":"ZUSD"}}}""").Single();
        m.Symbol.ShouldBe("LTC/USD");
        m.Precision.Price.ShouldBe(0.01m);
        m.Active.ShouldBeFalse();
    }

    [Fact]
    public void ticker_agrees_with_ccxt_field_by_field()
    {
        var fixture = Fixture.Json("ccxt/kraken.response.fetchTicker+fetchTrades.json").GetProperty("methods").GetProperty("fetchTicker")[0];
        var ccxt = fixture.GetProperty("parsedResponse");
        var market = KrakenParsers.Markets(Fixture.Text("raw/kraken.AssetPairs.XBTUSDT.nautilus.json")).Single();
        var t = KrakenParsers.Ticker(Fixture.Raw(fixture.GetProperty("httpResponse")), market, Now);
        t.Symbol.ShouldBe(ccxt.GetProperty("symbol").GetString());
        t.ExchangeSymbol.ShouldBe("XBTUSDT");
        t.Bid.ShouldBe(Fixture.Dec(ccxt.GetProperty("bid")));
        t.Ask.ShouldBe(Fixture.Dec(ccxt.GetProperty("ask")));
        t.Last.ShouldBe(Fixture.Dec(ccxt.GetProperty("last")));
        t.Open.ShouldBe(Fixture.Dec(ccxt.GetProperty("open")));
        t.High.ShouldBe(Fixture.Dec(ccxt.GetProperty("high")));
        t.Low.ShouldBe(Fixture.Dec(ccxt.GetProperty("low")));
        t.Change.ShouldBe(Fixture.Dec(ccxt.GetProperty("change")));
        t.BaseVolume.ShouldBe(Fixture.Dec(ccxt.GetProperty("baseVolume")));
        ((double)t.ChangePercent!.Value).ShouldBe(ccxt.GetProperty("percentage").GetDouble(), 1e-9);
        ((double)t.QuoteVolume!.Value).ShouldBe(ccxt.GetProperty("quoteVolume").GetDouble(), 1e-6);
        t.Timestamp.ShouldBe(Now);
    }

    [Fact]
    public void balance_normalizes_codes_and_has_nothing_locked()
    {
        var b = KrakenParsers.Balance(Fixture.Text("raw/kraken.Balance.json"));
        b.Keys.Order().ShouldBe(["BTC", "ETH", "USD"]);
        b["USD"].ShouldBe(new Balance("USD", 200000m, 0m));
        b["BTC"].Total.ShouldBe(0.5m);
    }

    [Fact]
    public void balance_ex_puts_hold_trade_in_locked()
    {
        var b = KrakenParsers.BalanceEx(Fixture.Text("raw/kraken.BalanceEx.json"));
        b["USD"].ShouldBe(new Balance("USD", 198500m, 1500m));
        b["USD"].Total.ShouldBe(200000m);
        b["BTC"].ShouldBe(new Balance("BTC", 0.4m, 0.1m));
        b["ETH"].ShouldBe(new Balance("ETH", 2m, 0m));
    }

    [Fact]
    public void balance_ex_counts_credit_as_available()
    {
        var b = KrakenParsers.BalanceEx("""{"error":[],"result":{"ZUSD":{"balance":"100","credit":"50","credit_used":"20","hold_trade":"10"}}}""");
        b["USD"].ShouldBe(new Balance("USD", 120m, 10m));
    }

    [Fact]
    public void trades_history_keeps_ids_fees_and_liquidity()
    {
        var markets = KrakenParsers.Markets(Fixture.Text("raw/kraken.AssetPairs.XBTUSDT.nautilus.json"));
        var (trades, count) = KrakenParsers.TradesHistory(Fixture.Text("raw/kraken.TradesHistory.json"), p => markets.FirstOrDefault(m => m.ExchangeSymbol == p));
        count.ShouldBe(2);
        var buy = trades.Single(t => t.Id == "TCCCTY-WJ6EO-4FP4VZ");
        buy.ShouldBe(new Trade("TCCCTY-WJ6EO-4FP4VZ", "O26VBY-ISGAE-JP5TLU", "BTC/USDT", "XBTUSDT", TradeSide.Buy, 29500.5m, 0.5m, 14750.25m,
            23.6m, "USDT", DateTimeOffset.FromUnixTimeMilliseconds(1688585840892), TradeLiquidity.Maker));
        var sell = trades.Single(t => t.Id == "TDCVFQ-TPEG4-6X7LSZ");
        (sell.Symbol, sell.Side, sell.Liquidity, sell.FeeCurrency, sell.Fee).ShouldBe(("ETH/USDT", TradeSide.Sell, TradeLiquidity.Taker, "USDT", 3.6m));
    }

    [Fact]
    public void api_key_info_permissions_map_to_read_trade_withdraw()
    {
        KrakenParsers.ApiKeyInfo(Fixture.Text("raw/kraken.GetApiKeyInfo.json")).Names.ShouldBe(["read", "trade", "withdraw"]);
        KrakenParsers.ApiKeyInfo("""{"error":[],"result":{"permissions":["query-funds","query-closed-trades"]}}""").Names.ShouldBe(["read"]);
        KrakenParsers.ApiKeyInfo("""{"error":[],"result":{"permissions":["create-ws-token"]}}""").Names.ShouldBeEmpty();
    }

    [Fact]
    public void time_and_system_status()
    {
        KrakenParsers.ServerTime(Fixture.Text("raw/kraken.Time.json")).ToUnixTimeSeconds().ShouldBe(1762820224);
        KrakenParsers.SystemStatus(Fixture.Text("raw/kraken.SystemStatus.json")).Status.ShouldBe(ExchangeSystemStatus.Normal);
        KrakenParsers.SystemStatus("""{"error":[],"result":{"status":"maintenance"}}""").Status.ShouldBe(ExchangeSystemStatus.Maintenance);
        KrakenParsers.SystemStatus("""{"error":[],"result":{"status":"cancel_only"}}""").Status.ShouldBe(ExchangeSystemStatus.Limited);
    }
}
