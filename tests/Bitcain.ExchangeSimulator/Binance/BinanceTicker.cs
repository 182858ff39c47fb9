using System.Globalization;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>24h statistics derived from the symbol alone, so they are the same on every call and every run, and
/// consistent with each other (low ≤ open, last ≤ high; bid one tick under ask; quoteVolume ≈ volume × vwap).</summary>
internal static class BinanceTicker
{
    public static void Write(Utf8JsonWriter w, BinanceSymbol s, DateTimeOffset now, bool mini)
    {
        var closeTime = now.ToUnixTimeMilliseconds();
        var openTime = closeTime - 86_400_000;
        w.WriteStartObject();
        w.WriteString("symbol", s.Symbol);
        if (!s.Trading)
        {
            // Symbols in BREAK have no trading window: zeros and -1 ids, as Binance returns for halted symbols.
            var zero = F8(0);
            if (!mini) { w.WriteString("priceChange", zero); w.WriteString("priceChangePercent", "0.000"); w.WriteString("weightedAvgPrice", zero); w.WriteString("prevClosePrice", zero); }
            w.WriteString(mini ? "openPrice" : "lastPrice", zero);
            if (!mini) { w.WriteString("lastQty", zero); w.WriteString("bidPrice", zero); w.WriteString("bidQty", zero); w.WriteString("askPrice", zero); w.WriteString("askQty", zero); w.WriteString("openPrice", zero); }
            w.WriteString("highPrice", zero);
            w.WriteString("lowPrice", zero);
            if (mini) w.WriteString("lastPrice", zero);
            w.WriteString("volume", zero);
            w.WriteString("quoteVolume", zero);
            w.WriteNumber("openTime", openTime);
            w.WriteNumber("closeTime", closeTime);
            w.WriteNumber("firstId", -1);
            w.WriteNumber("lastId", -1);
            w.WriteNumber("count", 0);
            w.WriteEndObject();
            return;
        }

        var q = Quote(s);
        if (!mini)
        {
            w.WriteString("priceChange", F8(q.Last - q.Open));
            w.WriteString("priceChangePercent", (Math.Round((q.Last - q.Open) / q.Open * 100m, 3)).ToString("F3", CultureInfo.InvariantCulture));
            w.WriteString("weightedAvgPrice", F8(q.Vwap));
            w.WriteString("prevClosePrice", F8(q.Open));
            w.WriteString("lastPrice", F8(q.Last));
            w.WriteString("lastQty", F8(q.LastQty));
            w.WriteString("bidPrice", F8(q.Bid));
            w.WriteString("bidQty", F8(q.BidQty));
            w.WriteString("askPrice", F8(q.Ask));
            w.WriteString("askQty", F8(q.AskQty));
            w.WriteString("openPrice", F8(q.Open));
        }
        else
        {
            w.WriteString("openPrice", F8(q.Open));
        }
        w.WriteString("highPrice", F8(q.High));
        w.WriteString("lowPrice", F8(q.Low));
        if (mini) w.WriteString("lastPrice", F8(q.Last));
        w.WriteString("volume", F8(q.Volume));
        w.WriteString("quoteVolume", F8(q.QuoteVolume));
        w.WriteNumber("openTime", openTime);
        w.WriteNumber("closeTime", closeTime);
        w.WriteNumber("firstId", q.LastId - q.Count + 1);
        w.WriteNumber("lastId", q.LastId);
        w.WriteNumber("count", q.Count);
        w.WriteEndObject();
    }

    internal sealed record Quote24h(decimal Open, decimal Last, decimal High, decimal Low, decimal Vwap, decimal Bid, decimal Ask,
        decimal BidQty, decimal AskQty, decimal LastQty, decimal Volume, decimal QuoteVolume, long Count, long LastId);

    // Statistics depend on the symbol alone, so each is computed once; only open/close times follow the clock.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<BinanceSymbol, Quote24h> Cache = new(ReferenceEqualityComparer.Instance);

    public static Quote24h Quote(BinanceSymbol s) => Cache.GetOrAdd(s, Compute);

    private static Quote24h Compute(BinanceSymbol s)
    {
        var h = Deterministic.Hash("binance-ticker/" + s.Symbol);
        decimal U(int i) => (decimal)Deterministic.Unit(Deterministic.Hash("binance-ticker/" + s.Symbol, i));
        var tick = s.TickSize;
        var last = Math.Max(tick, Deterministic.RoundDown(s.ReferencePrice * (1m + (U(1) - 0.5m) * 0.02m), tick));
        var change = (U(2) - 0.5m) * 0.2m;
        var open = Math.Max(tick, Deterministic.RoundDown(last / (1m + change), tick));
        var high = Deterministic.RoundDown(Math.Max(open, last) * (1m + U(3) * 0.05m), tick);
        high = Math.Max(high, Math.Max(open, last));
        var low = Math.Max(tick, Deterministic.RoundDown(Math.Min(open, last) * (1m - U(4) * 0.05m), tick));
        var vwap = Math.Round((high + low + last) / 3m, 8);
        var bid = Math.Max(tick, last - tick);
        var quoteUsd = AssetCatalog.UsdPrice(s.QuoteAsset);
        var usdVolume = (decimal)Math.Pow(10, 4 + 3 * (double)U(5)) * AssetCatalog.VolumeScale(s.BaseAsset);
        var volume = Math.Max(s.StepSize, Deterministic.RoundDown(usdVolume / (vwap * quoteUsd), s.StepSize));
        var count = 1_000 + (long)(h % 2_000_000);
        var lastId = 100_000_000 + (long)(Deterministic.Mix(h) % 4_000_000_000);
        return new Quote24h(open, last, high, low, vwap, bid, last,
            s.StepSize * (1 + (long)(U(6) * 5000)), s.StepSize * (1 + (long)(U(7) * 5000)), s.StepSize * (1 + (long)(U(8) * 500)),
            volume, Math.Round(volume * vwap, 8), count, lastId);
    }

    private static string F8(decimal value) => BinanceMarkets.F8(value);
}
