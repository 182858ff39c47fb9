using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitcain.Exchanges.Binance;
using Bitcain.ExchangeSimulator;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>
/// The byte path that reads exchangeInfo must give exactly the markets the document-tree parser it replaced gave:
/// same symbols, same flags, and the same decimals down to their scale (they are printed to users as they are).
/// The previous parser is kept here, verbatim in behaviour, as the reference.
/// </summary>
public class BinanceMarketsBytePathTests
{
    [Fact]
    public async Task the_full_exchange_info_reads_the_same_from_bytes_as_through_a_document()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var http = new HttpClient();
        var payload = await http.GetByteArrayAsync(sim.BaseUrl("binance") + "/api/v3/exchangeInfo");

        var expected = Reference.Markets(Encoding.UTF8.GetString(payload), 0.001m, 0.001m);
        var actual = BinanceParsers.Markets(payload, 0.001m, 0.001m);

        expected.Count.ShouldBeGreaterThan(2000);
        Describe(actual).ShouldBe(Describe(expected));
    }

    [Theory]
    [InlineData("raw/binance.exchangeInfo.ETHBTC.go-binance-test.json")]
    [InlineData("raw/binance.exchangeInfo.BTCUSDT-permissionSets.go-binance-test.json")]
    [InlineData("raw/binance.exchangeInfo.docs-example.json")]
    public void recorded_payloads_read_the_same_from_bytes(string file)
    {
        var json = Fixture.Text(file);
        Describe(BinanceParsers.Markets(Encoding.UTF8.GetBytes(json), null, 0.002m)).ShouldBe(Describe(Reference.Markets(json, null, 0.002m)));
    }

    [Theory]
    // numbers as JSON numbers, exponents, blanks, escapes, filters before their type, repeated fields, odd values
    [InlineData("""{"symbols":[{"symbol":"ABCUSDT","status":"TRADING","baseAsset":"abc","quoteAsset":" usdt ","filters":[{"tickSize":0.0100,"minPrice":1e-2,"maxPrice":"1E+3","filterType":"PRICE_FILTER"}]}]}""")]
    [InlineData("""{"timezone":"UTC","symbols":[{"symbol":"A\u0042C","status":"TRAD\u0049NG","baseAsset":"A\u0042","quoteAsset":"C","filters":[{"filterType":"LOT_SIZE","minQty":"  ","maxQty":"","stepSize":"0.00000000"},{"filterType":"NOTIONAL","minNotional":"5.0","maxNotional":null}]}],"extra":{"nested":[1,2,{"a":"b"}]}}""")]
    [InlineData("""{"symbols":[{"symbol":"X","status":"BREAK","baseAsset":"X","quoteAsset":"Y","filters":[{"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"PRICE_FILTER","tickSize":"0.25000"},{"filterType":"MIN_NOTIONAL","minNotional":"10.00"},"odd",7,{"filterType":"PERCENT_PRICE","minPrice":"not a number"}]}]}""")]
    [InlineData("""{"symbols":[{"symbol":12,"status":"TRADING","baseAsset":"Q","quoteAsset":"R","filters":{"filterType":"PRICE_FILTER"}},{"symbol":"S","baseAsset":"S","quoteAsset":"T","filters":[{"filterType":"LOT_SIZE","stepSize":"007.50","minQty":"123456789012345678901234.5","maxQty":"0.0000000000000000000000000001"}]}]}""")]
    [InlineData("""{"symbols":[]}""")]
    public void edge_cases_read_the_same_from_bytes(string json)
    {
        Describe(BinanceParsers.Markets(Encoding.UTF8.GetBytes(json), 0.001m, null)).ShouldBe(Describe(Reference.Markets(json, 0.001m, null)));
    }

    [Theory]
    [InlineData("""{"symbols":[{"symbol":"X","baseAsset":"X"}]}""")]
    [InlineData("""{"nosymbols":[]}""")]
    [InlineData("""{"symbols":{}}""")]
    [InlineData("""{"symbols":[1]}""")]
    [InlineData("""{"symbols":[{"symbol":"X","baseAsset":"X","quoteAsset":"Y","filters":[{"filterType":"LOT_SIZE","stepSize":"abc"}]}]}""")]
    [InlineData("""{"symbols":[{"symbol":"X","baseAsset":"X","quoteAsset":"Y"}],""")]
    [InlineData("""[]""")]
    public void what_the_document_parser_refused_the_byte_path_refuses(string json)
    {
        Should.Throw<Exception>(() => Reference.Markets(json, null, null));
        Should.Throw<Exception>(() => BinanceParsers.Markets(Encoding.UTF8.GetBytes(json), null, null));
    }

    private static List<string> Describe(IReadOnlyList<Market> markets) => markets.Select(m => string.Join(" | ",
        m.Symbol, m.ExchangeSymbol ?? "(null)", m.Base, m.Quote, m.Active, D(m.Precision.Amount), D(m.Precision.Price),
        D(m.Limits.Amount.Min), D(m.Limits.Amount.Max), D(m.Limits.Cost.Min), D(m.Limits.Cost.Max), D(m.Limits.Price.Min), D(m.Limits.Price.Max),
        D(m.Maker), D(m.Taker))).ToList();

    // The text, not the value: 0.01 and 0.0100 are equal decimals but print differently.
    private static string D(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The document-tree parser the byte path replaced, kept as the specification of what it reads.</summary>
    private static class Reference
    {
        public static IReadOnlyList<Market> Markets(string json, decimal? maker, decimal? taker)
        {
            using var doc = JsonDocument.Parse(json);
            var markets = new List<Market>();
            foreach (var s in doc.RootElement.GetProperty("symbols").EnumerateArray())
            {
                JsonElement? priceFilter = null, lotSize = null, notionalFilter = null, minNotionalFilter = null;
                if (s.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Array)
                {
                    foreach (var filter in filters.EnumerateArray())
                    {
                        switch (Str(filter, "filterType"))
                        {
                            case "PRICE_FILTER": priceFilter = filter; break;
                            case "LOT_SIZE": lotSize = filter; break;
                            case "NOTIONAL": notionalFilter = filter; break;
                            case "MIN_NOTIONAL": minNotionalFilter = filter; break;
                        }
                    }
                }
                var baseAsset = AssetCodes.Normalize("binance", Str(s, "baseAsset")!);
                var quoteAsset = AssetCodes.Normalize("binance", Str(s, "quoteAsset")!);
                decimal? amountStep = null, priceStep = null;
                MinMax amount = MinMax.None, price = MinMax.None, cost = MinMax.None;
                if (priceFilter is { } pf)
                {
                    priceStep = NonZero(Dec(pf, "tickSize"));
                    price = new MinMax(Dec(pf, "minPrice"), Dec(pf, "maxPrice"));
                }
                if (lotSize is { } lot)
                {
                    amountStep = NonZero(Dec(lot, "stepSize"));
                    amount = new MinMax(Dec(lot, "minQty"), Dec(lot, "maxQty"));
                }
                if (notionalFilter is { } notional) cost = new MinMax(Dec(notional, "minNotional"), Dec(notional, "maxNotional"));
                else if (minNotionalFilter is { } minNotional) cost = new MinMax(Dec(minNotional, "minNotional"), null);
                markets.Add(new Market($"{baseAsset}/{quoteAsset}", Str(s, "symbol")!, baseAsset, quoteAsset, Str(s, "status") == "TRADING",
                    new MarketPrecision(amountStep, priceStep), new MarketLimits(amount, cost, price), maker, taker));
            }
            return markets;
        }

        private static decimal? NonZero(decimal? value) => value is > 0 ? value : null;

        private static string? Str(JsonElement e, string property) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p)
                ? p.ValueKind switch
                {
                    JsonValueKind.String => p.GetString(),
                    JsonValueKind.Number => p.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                }
                : null;

        private static decimal? Dec(JsonElement e, string property) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p) ? p.ValueKind switch
            {
                JsonValueKind.Number => Trim(p.TryGetDecimal(out var d) ? d : decimal.Parse(p.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)),
                JsonValueKind.String when !string.IsNullOrWhiteSpace(p.GetString()) =>
                    Trim(decimal.Parse(p.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)),
                _ => null,
            } : null;

        private static decimal Trim(decimal value) => value / 1.0000000000000000000000000000m;
    }
}
