using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class SymbolAndAssetTests
{
    private static readonly Market[] Markets =
    [
        Market("BTC/USDT", "BTCUSDT"), Market("ETH/BTC", "ETHBTC"), Market("BTC/USD", "XXBTZUSD"),
    ];

    private static Market Market(string symbol, string id) =>
        new(symbol, id, symbol.Split('/')[0], symbol.Split('/')[1], true, new(null, null), new(MinMax.None, MinMax.None, MinMax.None), null, null);

    [Theory]
    [InlineData("BTC/USDT")]
    [InlineData("BTC-USDT")]
    [InlineData("btc_usdt")]
    [InlineData("BTCUSDT")]
    [InlineData(" btcusdt ")]
    public void every_spelling_of_a_symbol_resolves_to_the_unified_form(string input)
    {
        SymbolParser.FindMarket(input, Markets)!.ExchangeSymbol.ShouldBe("BTCUSDT");
        SymbolParser.TryParse(input, Markets, out var symbol).ShouldBeTrue();
        symbol!.Value.ToString().ShouldBe("BTC/USDT");
    }

    [Fact]
    public void a_symbol_without_separator_needs_the_market_list_to_be_split()
    {
        SymbolParser.TryParse("BTCUSDT", null, out _).ShouldBeFalse();
        SymbolParser.TryParse("DOGEUSDT", Markets, out _).ShouldBeFalse();
        SymbolParser.TryParse("DOGE/USDT", null, out var s).ShouldBeTrue();
        s!.Value.ShouldBe(new UnifiedSymbol("DOGE", "USDT"));
    }

    [Fact]
    public void an_exchange_id_resolves_to_its_market() =>
        SymbolParser.FindMarket("xxbtzusd", Markets)!.Symbol.ShouldBe("BTC/USD");

    [Theory]
    [InlineData("", false)]
    [InlineData("BTC/USDT/X", false)]
    [InlineData("XBT/USD", true)]
    public void odd_inputs_are_refused_or_normalized(string input, bool parses)
    {
        SymbolParser.TryParse(input, Markets, out var s).ShouldBe(parses);
        if (parses) s!.Value.ToString().ShouldBe("BTC/USD");
    }

    [Theory]
    [InlineData("XXBT", "BTC")]
    [InlineData("XBT", "BTC")]
    [InlineData("ZUSD", "USD")]
    [InlineData("XETH", "ETH")]
    [InlineData("XXDG", "DOGE")]
    [InlineData("XDG", "DOGE")]
    [InlineData("ZEUR", "EUR")]
    [InlineData("XXRP", "XRP")]
    [InlineData("XTZ", "XTZ")]
    [InlineData("USDT", "USDT")]
    [InlineData("ETH", "ETH")]
    [InlineData("XBT.F", "BTC.F")]
    [InlineData("ETH2.S", "ETH2.S")]
    public void kraken_asset_codes_are_normalized_as_ccxt_does(string kraken, string common) =>
        AssetCodes.Normalize("kraken", kraken).ShouldBe(common);

    [Fact]
    public void binance_asset_codes_are_left_as_they_are() =>
        AssetCodes.Normalize("binance", "XETH").ShouldBe("XETH");
}
