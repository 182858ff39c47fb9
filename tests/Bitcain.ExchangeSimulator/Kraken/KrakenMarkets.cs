using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Kraken;

/// <summary>One AssetPairs entry: what the simulator computes with, plus the JSON it serves.</summary>
internal sealed record KrakenPair(
    string Key, string AltName, string WsName, string BaseAsset, string QuoteAsset, string BaseCode, string QuoteCode,
    int PairDecimals, int CostDecimals, int LotDecimals, decimal ReferencePrice, string Status, string Json);

/// <summary>Kraken's pair list: the recorded fixtures verbatim (XETHXXBT, XXBTZUSD, XBTUSDT) plus deterministic
/// synthetic pairs to reach Kraken's real size (~600).</summary>
internal sealed class KrakenMarkets
{
    private KrakenMarkets(IReadOnlyList<KrakenPair> pairs)
    {
        Pairs = pairs;
        var lookup = new Dictionary<string, KrakenPair>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in pairs)
        {
            lookup.TryAdd(p.Key, p);
            lookup.TryAdd(p.AltName, p);
        }
        Lookup = lookup;
    }

    public IReadOnlyList<KrakenPair> Pairs { get; }

    /// <summary>By pair key or altname, as Kraken's <c>pair=</c> parameter accepts either.</summary>
    public IReadOnlyDictionary<string, KrakenPair> Lookup { get; }

    public static readonly Lazy<KrakenMarkets> Instance = new(Build);

    private static readonly (string Quote, double Share)[] Quotes =
    [
        ("USD", 1.0), ("EUR", 0.8), ("USDT", 0.15), ("GBP", 0.1), ("USDC", 0.06), ("CAD", 0.03), ("AUD", 0.03), ("JPY", 0.02),
        ("CHF", 0.02), ("BTC", 0.1), ("ETH", 0.05),
    ];

    private static readonly HashSet<string> MustList =
        ["BTCUSD", "ETHUSD", "BTCEUR", "ETHEUR", "SOLUSD", "DOTEUR", "DOTUSD", "ETHBTC", "BTCUSDT", "ETHUSDT", "ADAUSD", "XRPUSD", "DOGEUSD"];

    private static KrakenMarkets Build()
    {
        var rank = Quotes.Select((q, i) => (q.Quote, i)).ToDictionary(q => q.Quote, q => q.i);
        var byKey = new Dictionary<string, KrakenPair>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var asset in AssetCatalog.Crypto(275))
        {
            foreach (var (quote, share) in Quotes)
            {
                if (asset == quote || (rank.TryGetValue(asset, out var r) && r <= rank[quote])) continue;
                var h = Deterministic.Hash("kraken-pair/" + asset + "/" + quote);
                var must = MustList.Contains(asset + quote);
                if (!must && Deterministic.Unit(h) >= share) continue;
                var price = AssetCatalog.UsdPrice(asset) / AssetCatalog.UsdPrice(quote);
                if (price < 0.00001m) continue;
                var pair = Synthetic(asset, quote, price, must, h);
                if (byKey.TryAdd(pair.Key, pair)) order.Add(pair.Key);
            }
        }
        foreach (var fixture in new[] { "kraken.AssetPairs.docs-example.json", "kraken.AssetPairs.XBTUSDT.nautilus.json" })
        {
            using var doc = Fixtures.Load(fixture);
            foreach (var entry in doc.RootElement.GetProperty("result").EnumerateObject())
            {
                var pair = FromFixture(entry.Name, entry.Value);
                if (!byKey.ContainsKey(pair.Key)) order.Insert(0, pair.Key);
                byKey[pair.Key] = pair;
            }
        }
        return new KrakenMarkets(order.Select(k => byKey[k]).ToList());
    }

    private static KrakenPair FromFixture(string key, JsonElement e)
    {
        var baseCode = e.GetProperty("base").GetString()!;
        var quoteCode = e.GetProperty("quote").GetString()!;
        var wsname = e.GetProperty("wsname").GetString()!;
        var parts = wsname.Split('/');
        var baseAsset = parts[0] == "XBT" ? "BTC" : parts[0] == "XDG" ? "DOGE" : parts[0];
        var quoteAsset = parts[1] == "XBT" ? "BTC" : parts[1];
        return new KrakenPair(key, e.GetProperty("altname").GetString()!, wsname, baseAsset, quoteAsset, baseCode, quoteCode,
            e.GetProperty("pair_decimals").GetInt32(), e.GetProperty("cost_decimals").GetInt32(), e.GetProperty("lot_decimals").GetInt32(),
            AssetCatalog.UsdPrice(baseAsset) / AssetCatalog.UsdPrice(quoteAsset), e.GetProperty("status").GetString()!,
            JsonSerializer.Serialize(e));
    }

    private static KrakenPair Synthetic(string asset, string quote, decimal price, bool must, ulong hash)
    {
        var baseCode = KrakenAssets.Code(asset);
        var quoteCode = KrakenAssets.Code(quote);
        var alt = KrakenAssets.AltName(asset) + KrakenAssets.AltName(quote);
        // Pairs of two legacy assets keep the concatenated legacy key (XXBTZUSD); the rest are keyed by altname.
        var key = KrakenAssets.IsLegacy(asset) && KrakenAssets.IsLegacy(quote) ? baseCode + quoteCode : alt;
        var ws = KrakenAssets.AltName(asset) + "/" + KrakenAssets.AltName(quote);
        var magnitude = (int)Math.Floor(Math.Log10((double)price));
        var pairDecimals = Math.Clamp(5 - magnitude, 0, 8);
        var costDecimals = AssetCatalog.IsFiatOrStable(quote) ? 5 : 8;
        var tick = 1m / Pow10(pairDecimals);
        var baseUsd = AssetCatalog.UsdPrice(asset);
        var orderMin = Math.Max(0.00000001m, AssetCatalog.Significant(5m / baseUsd, 1));
        var costMin = AssetCatalog.Significant(0.5m / AssetCatalog.UsdPrice(quote), 1);
        var u = Deterministic.Unit(Deterministic.Mix(hash));
        var status = must || u >= 0.04 ? "online" : u < 0.02 ? "cancel_only" : "post_only";
        var leverage = asset is "BTC" or "ETH" or "SOL" or "XRP" or "ADA" or "DOT" or "LTC" or "DOGE" && quote is "USD" or "EUR";

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, SimJson.Writer))
        {
            w.WriteStartObject();
            w.WriteString("altname", alt);
            w.WriteString("wsname", ws);
            w.WriteString("aclass_base", "currency");
            w.WriteString("base", baseCode);
            w.WriteString("aclass_quote", "currency");
            w.WriteString("quote", quoteCode);
            w.WriteString("lot", "unit");
            w.WriteNumber("cost_decimals", costDecimals);
            w.WriteNumber("pair_decimals", pairDecimals);
            w.WriteNumber("lot_decimals", 8);
            w.WriteNumber("lot_multiplier", 1);
            w.WriteStartArray("leverage_buy");
            if (leverage) foreach (var l in new[] { 2, 3, 4, 5 }) w.WriteNumberValue(l);
            w.WriteEndArray();
            w.WriteStartArray("leverage_sell");
            if (leverage) foreach (var l in new[] { 2, 3, 4, 5 }) w.WriteNumberValue(l);
            w.WriteEndArray();
            Tiers(w, "fees", [(0, 0.4m), (10000, 0.35m), (50000, 0.24m), (100000, 0.22m), (250000, 0.2m), (500000, 0.18m), (1000000, 0.16m), (2500000, 0.14m), (5000000, 0.12m), (10000000, 0.1m)]);
            Tiers(w, "fees_maker", [(0, 0.25m), (10000, 0.2m), (50000, 0.14m), (100000, 0.12m), (250000, 0.1m), (500000, 0.08m), (1000000, 0.06m), (2500000, 0.04m), (5000000, 0.02m), (10000000, 0m)]);
            w.WriteString("fee_volume_currency", "ZUSD");
            w.WriteNumber("margin_call", 80);
            w.WriteNumber("margin_stop", 40);
            w.WriteString("ordermin", Deterministic.Plain(orderMin));
            w.WriteString("costmin", Deterministic.Plain(costMin));
            w.WriteString("tick_size", Deterministic.Plain(tick));
            w.WriteString("status", status);
            if (leverage)
            {
                w.WriteNumber("long_position_limit", 250);
                w.WriteNumber("short_position_limit", 200);
            }
            w.WriteEndObject();
        }
        return new KrakenPair(key, alt, ws, asset, quote, baseCode, quoteCode, pairDecimals, costDecimals, 8, price, status,
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Tiers(Utf8JsonWriter w, string name, (int Volume, decimal Percent)[] tiers)
    {
        w.WriteStartArray(name);
        foreach (var (volume, percent) in tiers)
        {
            w.WriteStartArray();
            w.WriteNumberValue(volume);
            w.WriteNumberValue(percent);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static decimal Pow10(int n)
    {
        var v = 1m;
        for (var i = 0; i < n; i++) v *= 10m;
        return v;
    }

    public static string Format(decimal value, int decimals) => Deterministic.Fixed(value, decimals);

    public static string Seconds(long ms) => (ms / 1000m).ToString("0.####", CultureInfo.InvariantCulture);
}
