using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Okx;

internal sealed record OkxInstrument(string InstId, string BaseCcy, string QuoteCcy, string State, decimal MinSz, decimal LotSz, decimal TickSz,
    decimal ReferencePrice, string Json);

/// <summary>OKX spot instruments: the recorded BTC-USD and ETH-USD (nautilus_trader test data, Fixtures/SOURCES.md)
/// served verbatim, plus deterministic synthetic ones in USDT, USDC and BTC.</summary>
internal sealed class OkxMarkets
{
    public static readonly Lazy<OkxMarkets> Instance = new(Build);

    private OkxMarkets(IReadOnlyList<OkxInstrument> instruments)
    {
        Instruments = instruments;
        ById = instruments.ToDictionary(i => i.InstId, StringComparer.Ordinal);
    }

    public IReadOnlyList<OkxInstrument> Instruments { get; }
    public IReadOnlyDictionary<string, OkxInstrument> ById { get; }

    private static OkxMarkets Build()
    {
        var list = new List<OkxInstrument>();
        using (var doc = Fixtures.Load("okx.instruments.SPOT.json"))
            foreach (var i in doc.RootElement.GetProperty("data").EnumerateArray())
            {
                decimal D(string p) => decimal.Parse(i.GetProperty(p).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                var @base = i.GetProperty("baseCcy").GetString()!;
                list.Add(new OkxInstrument(i.GetProperty("instId").GetString()!, @base, i.GetProperty("quoteCcy").GetString()!,
                    i.GetProperty("state").GetString()!, D("minSz"), D("lotSz"), D("tickSz"), AssetCatalog.UsdPrice(@base), i.GetRawText()));
            }
        foreach (var (quote, count) in new[] { ("USDT", 60), ("USDC", 15), ("BTC", 12) })
        foreach (var asset in AssetCatalog.Crypto(count))
        {
            var id = asset + "-" + quote;
            if (asset == quote || asset is "USDT" or "USDC" || list.Any(x => x.InstId == id)) continue;
            var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
            if (price <= 0) continue;
            var tick = Step(price / 10000m);
            var lot = Step(1m / AssetCatalog.UsdPrice(asset) / 1000m);
            var state = Deterministic.Hash("okx-state/" + id) % 19 == 0 ? "suspend" : "live";
            var json = JsonSerializer.Serialize(new
            {
                alias = "", baseCcy = asset, category = "1", instId = id, instType = "SPOT", lotSz = Plain(lot), maxLmtAmt = "20000000",
                maxLmtSz = "9999999999", maxMktAmt = "1000000", maxMktSz = "1000000", minSz = Plain(lot * 10), quoteCcy = quote,
                ruleType = "normal", state, tickSz = Plain(tick), listTime = "1700000000000",
            }, SimJson.Options);
            list.Add(new OkxInstrument(id, asset, quote, state, lot * 10, lot, tick, AssetCatalog.Significant(price, 6), json));
        }
        return new OkxMarkets(list);
    }

    private static string Plain(decimal value) => (value / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static decimal Step(decimal value)
    {
        var step = 1m;
        while (step > value && step > 0.0000000001m) step /= 10m;
        while (step * 10 <= value && step < 1000m) step *= 10m;
        return step;
    }
}
