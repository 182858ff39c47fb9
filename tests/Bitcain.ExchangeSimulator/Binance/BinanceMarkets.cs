using System.Buffers;
using System.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>One spot symbol: what the simulator needs to compute with, plus its exchangeInfo JSON as served.</summary>
internal sealed record BinanceSymbol(
    string Symbol, string BaseAsset, string QuoteAsset, string Status, decimal TickSize, decimal StepSize,
    decimal ReferencePrice, string Json)
{
    public bool Trading => Status == "TRADING";
}

/// <summary>A venue's symbol list: the recorded fixtures (their missing filters completed), plus deterministic
/// synthetic symbols with the same fields and filters so the list has the real exchange's size.</summary>
internal sealed class BinanceMarkets
{
    private BinanceMarkets(IReadOnlyList<BinanceSymbol> symbols)
    {
        Symbols = symbols;
        BySymbol = symbols.ToDictionary(s => s.Symbol, StringComparer.Ordinal);
        AllSymbolsJson = "[" + string.Join(",", symbols.Select(s => s.Json)) + "]";
    }

    public IReadOnlyList<BinanceSymbol> Symbols { get; }
    public IReadOnlyDictionary<string, BinanceSymbol> BySymbol { get; }
    public string AllSymbolsJson { get; }

    public static readonly Lazy<BinanceMarkets> Binance = new(() => Build(
        assetCount: 880,
        quotes: [("USDT", 1.0), ("FDUSD", 0.2), ("USDC", 0.35), ("TRY", 0.2), ("EUR", 0.08), ("BRL", 0.05), ("JPY", 0.03),
                 ("BTC", 0.55), ("ETH", 0.18), ("BNB", 0.15)],
        mustTrade: ["BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "ETHBTC", "BNBBTC", "DOGEUSDT", "XRPUSDT", "ADAUSDT", "BNBETH", "RVNUSDT"],
        // RVN is not among the catalogue's assets; the sold-out account (issue #14) trades it.
        extraAssets: ["RVN"],
        legacyShape: false,
        fixtures: ["binance.exchangeInfo.ETHBTC.go-binance-test.json", "binance.exchangeInfo.BTCUSDT-permissionSets.go-binance-test.json"]));

    public static readonly Lazy<BinanceMarkets> BinanceUs = new(() => Build(
        assetCount: 170,
        quotes: [("USD", 0.9), ("USDT", 0.8), ("USDC", 0.3), ("BTC", 0.3), ("ETH", 0.05)],
        mustTrade: ["BTCUSD", "ETHUSD", "SOLUSD", "BTCUSDT", "ETHUSDT", "ADAUSD", "DOGEUSD", "ETHBTC", "XLMUSD", "1INCHUSD", "SUSHIUSD"],
        extraAssets: [],
        legacyShape: true,
        fixtures: []));

    private static BinanceMarkets Build(
        int assetCount, (string Quote, double Share)[] quotes, string[] mustTrade, string[] extraAssets, bool legacyShape, string[] fixtures)
    {
        var quoteRank = quotes.Select((q, i) => (q.Quote, i)).ToDictionary(q => q.Quote, q => q.i);
        var bySymbol = new Dictionary<string, BinanceSymbol>(StringComparer.Ordinal);
        var order = new List<string>();
        var must = new HashSet<string>(mustTrade, StringComparer.Ordinal);
        foreach (var asset in AssetCatalog.Crypto(assetCount).Concat(extraAssets).Distinct())
        {
            foreach (var (quote, share) in quotes)
            {
                // A quote asset only pairs with quotes ranked before it (ETHBTC exists, BTCETH does not).
                if (asset == quote || (quoteRank.TryGetValue(asset, out var rank) && rank <= quoteRank[quote])) continue;
                var symbol = asset + quote;
                var h = Deterministic.Hash("binance-symbol/" + symbol);
                if (!must.Contains(symbol) && Deterministic.Unit(h) >= share) continue;
                var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
                if (price < 0.00001m) continue; // a tick of 1e-8 would leave fewer than 3 significant digits
                var status = must.Contains(symbol) || Deterministic.Unit(Deterministic.Mix(h)) >= 0.25 ? "TRADING" : "BREAK";
                bySymbol[symbol] = Synthetic(symbol, asset, quote, status, price, legacyShape, h);
                order.Add(symbol);
            }
        }
        foreach (var fixture in fixtures)
        {
            using var doc = Fixtures.Load(fixture);
            foreach (var element in doc.RootElement.GetProperty("symbols").EnumerateArray())
            {
                var fromFixture = FromFixture(element, legacyShape);
                if (!bySymbol.ContainsKey(fromFixture.Symbol)) order.Insert(0, fromFixture.Symbol);
                bySymbol[fromFixture.Symbol] = fromFixture;
            }
        }
        return new BinanceMarkets(order.Select(s => bySymbol[s]).ToList());
    }

    /// <summary>A recorded symbol, served as recorded except that filters the recording left out (go-binance's
    /// permissionSets test keeps only PRICE_FILTER) are completed from the generator, since the live BTCUSDT has them all.</summary>
    private static BinanceSymbol FromFixture(JsonElement element, bool legacyShape)
    {
        var node = JsonNode.Parse(element.GetRawText())!.AsObject();
        var symbol = node["symbol"]!.GetValue<string>();
        var baseAsset = node["baseAsset"]!.GetValue<string>();
        var quoteAsset = node["quoteAsset"]!.GetValue<string>();
        var price = AssetCatalog.UsdPrice(baseAsset) / AssetCatalog.UsdPrice(quoteAsset);
        var generated = JsonNode.Parse(Synthetic(symbol, baseAsset, quoteAsset, "TRADING", price, legacyShape, Deterministic.Hash(symbol)).Json)!;
        var filters = node["filters"]!.AsArray();
        var present = filters.Select(f => f!["filterType"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var filter in generated["filters"]!.AsArray())
            if (!present.Contains(filter!["filterType"]!.GetValue<string>())) filters.Add(filter.DeepClone());

        decimal tick = 0, step = 0;
        foreach (var filter in filters)
        {
            var type = filter!["filterType"]!.GetValue<string>();
            if (type == "PRICE_FILTER") tick = decimal.Parse(filter["tickSize"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            if (type == "LOT_SIZE") step = decimal.Parse(filter["stepSize"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        }
        return new BinanceSymbol(symbol, baseAsset, quoteAsset, node["status"]!.GetValue<string>(), tick, step, price,
            node.ToJsonString(SimJson.Options));
    }

    public static decimal TickFor(decimal price)
    {
        var magnitude = (int)Math.Floor(Math.Log10((double)price));
        var tick = Pow10(magnitude - 5);
        return Math.Clamp(tick, 0.00000001m, 0.01m);
    }

    public static decimal StepFor(decimal baseUsd)
    {
        var magnitude = (int)Math.Floor(Math.Log10((double)(1m / baseUsd)));
        return Math.Clamp(Pow10(magnitude), 0.00000001m, 1m);
    }

    private static decimal Pow10(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++) value = exponent > 0 ? value * 10m : value / 10m;
        return value;
    }

    private static BinanceSymbol Synthetic(string symbol, string baseAsset, string quoteAsset, string status, decimal price,
        bool legacyShape, ulong hash)
    {
        var tick = TickFor(price);
        var step = StepFor(AssetCatalog.UsdPrice(baseAsset));
        var quoteUsd = AssetCatalog.UsdPrice(quoteAsset);
        // Binance's minimum order value is about 5 USD (1 USD on Binance.US) in the quote asset.
        var minNotional = AssetCatalog.Significant((legacyShape ? 1m : 5m) / quoteUsd, 1);
        var margin = !legacyShape && Deterministic.Unit(Deterministic.Mix(hash ^ 7)) < 0.4;
        var maxQty = Math.Min(9_000_000m, step * 900_000_000m);

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, SimJson.Writer))
        {
            w.WriteStartObject();
            w.WriteString("symbol", symbol);
            w.WriteString("status", status);
            w.WriteString("baseAsset", baseAsset);
            w.WriteNumber("baseAssetPrecision", 8);
            w.WriteString("quoteAsset", quoteAsset);
            w.WriteNumber("quotePrecision", 8);
            w.WriteNumber("quoteAssetPrecision", 8);
            w.WriteNumber("baseCommissionPrecision", 8);
            w.WriteNumber("quoteCommissionPrecision", 8);
            w.WriteStartArray("orderTypes");
            foreach (var t in new[] { "LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT" })
                w.WriteStringValue(t);
            w.WriteEndArray();
            w.WriteBoolean("icebergAllowed", true);
            w.WriteBoolean("ocoAllowed", true);
            if (!legacyShape)
            {
                w.WriteBoolean("otoAllowed", true);
                w.WriteBoolean("quoteOrderQtyMarketAllowed", true);
                w.WriteBoolean("allowTrailingStop", true);
                w.WriteBoolean("cancelReplaceAllowed", true);
                w.WriteBoolean("amendAllowed", true);
            }
            else
            {
                w.WriteBoolean("quoteOrderQtyMarketAllowed", true);
            }
            w.WriteBoolean("isSpotTradingAllowed", true);
            w.WriteBoolean("isMarginTradingAllowed", margin);
            w.WriteStartArray("filters");
            Filter(w, "PRICE_FILTER", ("minPrice", F8(tick)), ("maxPrice", F8(Math.Max(1000m, Pow10((int)Math.Ceiling(Math.Log10((double)price * 1000)))))), ("tickSize", F8(tick)));
            if (legacyShape)
                Filter(w, "PERCENT_PRICE", ("multiplierUp", "5"), ("multiplierDown", "0.2"), ("avgPriceMins", 5));
            Filter(w, "LOT_SIZE", ("minQty", F8(step)), ("maxQty", F8(maxQty)), ("stepSize", F8(step)));
            if (legacyShape)
                Filter(w, "MIN_NOTIONAL", ("minNotional", F8(minNotional)), ("applyToMarket", true), ("avgPriceMins", 5));
            Filter(w, "ICEBERG_PARTS", ("limit", 10));
            Filter(w, "MARKET_LOT_SIZE", ("minQty", F8(0)), ("maxQty", F8(Math.Round(maxQty / 10m, 8))), ("stepSize", F8(0)));
            if (!legacyShape)
            {
                Filter(w, "TRAILING_DELTA", ("minTrailingAboveDelta", 10), ("maxTrailingAboveDelta", 2000), ("minTrailingBelowDelta", 10), ("maxTrailingBelowDelta", 2000));
                Filter(w, "PERCENT_PRICE_BY_SIDE", ("bidMultiplierUp", "5"), ("bidMultiplierDown", "0.2"), ("askMultiplierUp", "5"), ("askMultiplierDown", "0.2"), ("avgPriceMins", 5));
                Filter(w, "NOTIONAL", ("minNotional", F8(minNotional)), ("applyMinToMarket", true), ("maxNotional", F8(9_000_000m)), ("applyMaxToMarket", false), ("avgPriceMins", 5));
            }
            Filter(w, "MAX_NUM_ORDERS", ("maxNumOrders", 200));
            Filter(w, "MAX_NUM_ALGO_ORDERS", ("maxNumAlgoOrders", 5));
            w.WriteEndArray();
            if (legacyShape)
            {
                w.WriteStartArray("permissions");
                w.WriteStringValue("SPOT");
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartArray("permissions");
                w.WriteEndArray();
                w.WriteStartArray("permissionSets");
                w.WriteStartArray();
                w.WriteStringValue("SPOT");
                if (margin) w.WriteStringValue("MARGIN");
                w.WriteEndArray();
                w.WriteEndArray();
                w.WriteString("defaultSelfTradePreventionMode", "EXPIRE_MAKER");
                w.WriteStartArray("allowedSelfTradePreventionModes");
                foreach (var m in new[] { "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT" }) w.WriteStringValue(m);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return new BinanceSymbol(symbol, baseAsset, quoteAsset, status, tick, step, price, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Filter(Utf8JsonWriter w, string type, params (string Name, object Value)[] fields)
    {
        w.WriteStartObject();
        w.WriteString("filterType", type);
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case string s: w.WriteString(name, s); break;
                case bool b: w.WriteBoolean(name, b); break;
                case int i: w.WriteNumber(name, i); break;
            }
        }
        w.WriteEndObject();
    }

    public static string F8(decimal value) => Deterministic.Fixed(value, 8);
}
