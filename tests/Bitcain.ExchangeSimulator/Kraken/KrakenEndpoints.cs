using System.Globalization;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Kraken;

/// <summary>Endpoint bodies in the shapes of Kraken's docs and the recorded payloads in shared/exchanges/fixtures.</summary>
internal sealed partial class KrakenExchange
{
    private const int TradesPageSize = 50;

    private Task Time(HttpContext context)
    {
        var now = _options.Time.GetUtcNow();
        return WriteResultAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("unixtime", now.ToUnixTimeSeconds());
            w.WriteString("rfc1123", now.ToString("ddd, dd MMM yy HH:mm:ss +0000", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    private Task SystemStatus(HttpContext context, string status)
    {
        var now = _options.Time.GetUtcNow();
        return WriteResultAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", status);
            w.WriteString("timestamp", now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    /// <summary>Pairs named in <c>pair=</c> (comma-separated, key or altname), or all; any unknown name fails the call.</summary>
    private bool TrySelect(IReadOnlyDictionary<string, string> query, out IReadOnlyList<KrakenPair> pairs)
    {
        if (!query.TryGetValue("pair", out var names) || string.IsNullOrEmpty(names))
        {
            pairs = _markets.Pairs;
            return true;
        }
        var list = new List<KrakenPair>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!_markets.Lookup.TryGetValue(name, out var pair))
            {
                pairs = [];
                return false;
            }
            if (!list.Contains(pair)) list.Add(pair);
        }
        pairs = list;
        return true;
    }

    /// <summary>Every asset a pair trades, under its code (XXBT, ZUSD, SOL) with the altname pairs use (XBT, USD);
    /// <c>asset=</c> narrows by code or altname, an unknown one fails the call as Kraken's does.</summary>
    private Task Assets(HttpContext context, IReadOnlyDictionary<string, string> query)
    {
        var all = _markets.Pairs.SelectMany(p => new[] { (p.BaseCode, p.BaseAsset), (p.QuoteCode, p.QuoteAsset) })
            .DistinctBy(a => a.Item1).OrderBy(a => a.Item1, StringComparer.Ordinal).ToList();
        if (query.GetValueOrDefault("asset") is { Length: > 0 } names)
        {
            var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var picked = all.Where(a => wanted.Contains(a.Item1) || wanted.Contains(KrakenAssets.AltName(a.Item2))).ToList();
            if (picked.Count != wanted.Length) return WriteErrorAsync(context, "EQuery:Unknown asset");
            all = picked;
        }
        return WriteResultAsync(context, w =>
        {
            w.WriteStartObject();
            foreach (var (code, asset) in all)
            {
                w.WriteStartObject(code);
                w.WriteString("aclass", "currency");
                w.WriteString("altname", KrakenAssets.AltName(asset));
                w.WriteNumber("decimals", KrakenAssets.BalanceDecimals(code));
                w.WriteNumber("display_decimals", KrakenAssets.IsFiat(code) ? 2 : 5);
                w.WriteString("status", "enabled");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    private Task AssetPairs(HttpContext context, IReadOnlyDictionary<string, string> query)
    {
        if (!TrySelect(query, out var pairs)) return WriteErrorAsync(context, "EQuery:Unknown asset pair");
        var info = query.GetValueOrDefault("info") is { Length: > 0 } i ? i : "info";
        if (!InfoFields.TryGetValue(info, out var fields)) return WriteErrorAsync(context, "EGeneral:Invalid arguments:info");
        return WriteResultAsync(context, w =>
        {
            w.WriteStartObject();
            foreach (var p in pairs)
            {
                w.WritePropertyName(p.Key);
                if (fields is null)
                {
                    w.WriteRawValue(p.Json, skipInputValidation: true);
                    continue;
                }
                using var doc = JsonDocument.Parse(p.Json);
                w.WriteStartObject();
                foreach (var property in doc.RootElement.EnumerateObject().Where(e => fields.Contains(e.Name))) property.WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    /// <summary><c>info=</c> narrows each pair to one group of fields; null = everything (info=info, the default).</summary>
    private static readonly Dictionary<string, string[]?> InfoFields = new(StringComparer.Ordinal)
    {
        ["info"] = null,
        ["leverage"] = ["leverage_buy", "leverage_sell"],
        ["fees"] = ["fees", "fees_maker", "fee_volume_currency"],
        ["margin"] = ["margin_call", "margin_stop", "margin_level"],
    };

    private Task Ticker(HttpContext context, IReadOnlyDictionary<string, string> query)
    {
        if (!TrySelect(query, out var pairs)) return WriteErrorAsync(context, "EQuery:Unknown asset pair");
        return WriteResultAsync(context, w =>
        {
            w.WriteStartObject();
            foreach (var p in pairs)
            {
                w.WritePropertyName(p.Key);
                WriteTicker(w, p);
            }
            w.WriteEndObject();
        });
    }

    /// <summary>a/b = [price, whole lot volume, lot volume]; c = [last, lot volume]; v/p/t/l/h = [today, last 24 h];
    /// o = today's open. Derived from the pair alone so it never changes between calls.</summary>
    private static void WriteTicker(Utf8JsonWriter w, KrakenPair p)
    {
        decimal U(int i) => (decimal)Deterministic.Unit(Deterministic.Hash("kraken-ticker/" + p.Key, i));
        var dp = Math.Max(5, p.PairDecimals);
        var tick = 1m / (decimal)Math.Pow(10, p.PairDecimals);
        string Px(decimal v) => KrakenMarkets.Format(Math.Max(tick, Deterministic.RoundDown(v, tick)), dp);
        string Vol(decimal v) => KrakenMarkets.Format(v, 8);
        var last = p.ReferencePrice * (1m + (U(1) - 0.5m) * 0.02m);
        var open = last / (1m + (U(2) - 0.5m) * 0.1m);
        var high = Math.Max(open, last) * (1m + U(3) * 0.04m);
        var low = Math.Min(open, last) * (1m - U(4) * 0.04m);
        var usdVolume = (decimal)Math.Pow(10, 3 + 3 * (double)U(5)) * AssetCatalog.VolumeScale(p.BaseAsset);
        var volume24 = usdVolume / AssetCatalog.UsdPrice(p.BaseAsset);
        var volumeToday = volume24 * (0.2m + 0.6m * U(6));
        var trades24 = 50 + (int)(U(7) * 40000);
        void Pair(string name, string a, string b)
        {
            w.WriteStartArray(name);
            w.WriteStringValue(a);
            w.WriteStringValue(b);
            w.WriteEndArray();
        }
        w.WriteStartObject();
        w.WriteStartArray("a");
        w.WriteStringValue(Px(last + tick));
        w.WriteStringValue(((int)(U(8) * 20) + 1).ToString(CultureInfo.InvariantCulture));
        w.WriteStringValue(KrakenMarkets.Format((int)(U(8) * 20) + 1, 3));
        w.WriteEndArray();
        w.WriteStartArray("b");
        w.WriteStringValue(Px(last));
        w.WriteStringValue(((int)(U(9) * 20) + 1).ToString(CultureInfo.InvariantCulture));
        w.WriteStringValue(KrakenMarkets.Format((int)(U(9) * 20) + 1, 3));
        w.WriteEndArray();
        Pair("c", Px(last), Vol(volume24 / trades24));
        Pair("v", Vol(volumeToday), Vol(volume24));
        Pair("p", Px((high + low + last) / 3m), Px((high + low + open) / 3m));
        w.WriteStartArray("t");
        w.WriteNumberValue((int)(trades24 * 0.4m));
        w.WriteNumberValue(trades24);
        w.WriteEndArray();
        Pair("l", Px(Math.Max(low, Math.Min(open, last) * 0.99m)), Px(low));
        Pair("h", Px(Math.Min(high, Math.Max(open, last) * 1.01m)), Px(high));
        w.WriteString("o", Px(open));
        w.WriteEndObject();
    }

    private static Task Balance(KrakenCall call) => WriteResultAsync(call.Context, w =>
    {
        w.WriteStartObject();
        foreach (var b in call.Account.Balances) w.WriteString(b.Code, KrakenMarkets.Format(b.Balance, KrakenAssets.BalanceDecimals(b.Code)));
        w.WriteEndObject();
    });

    /// <summary>BalanceEx: available = balance + credit − credit_used − hold_trade (simulated accounts have no credit).</summary>
    private static Task BalanceEx(KrakenCall call) => WriteResultAsync(call.Context, w =>
    {
        w.WriteStartObject();
        foreach (var b in call.Account.Balances)
        {
            var decimals = KrakenAssets.BalanceDecimals(b.Code);
            w.WriteStartObject(b.Code);
            w.WriteString("balance", KrakenMarkets.Format(b.Balance, decimals));
            w.WriteString("hold_trade", KrakenMarkets.Format(b.HoldTrade, decimals));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    /// <summary>TradesHistory: 50 per call, newest first, <c>ofs</c> skips that many; <c>start</c> is exclusive and
    /// <c>end</c> inclusive, each a unix time or a trade txid; <c>count</c> is the total matching.</summary>
    private static Task TradesHistory(KrakenCall call)
    {
        var trades = call.Account.Trades;
        var lo = 0;
        var hi = trades.Count;
        switch (call.Get("type") ?? "all")
        {
            case "all" or "no position":
                break;
            case "any position" or "closed position" or "closing position":
                // The seeded accounts trade spot only, so no trade belongs to a margin position.
                hi = 0;
                break;
            default:
                return WriteErrorAsync(call.Context, "EGeneral:Invalid arguments:type");
        }
        if (call.Get("start") is { } start)
        {
            if (!TryBound(trades, start, out var startMs)) return WriteErrorAsync(call.Context, "EGeneral:Invalid arguments");
            lo = Math.Min(hi, trades.FirstAfter(startMs));
        }
        if (call.Get("end") is { } end)
        {
            if (!TryBound(trades, end, out var endMs)) return WriteErrorAsync(call.Context, "EGeneral:Invalid arguments");
            hi = Math.Min(hi, trades.FirstAfter(endMs));
        }
        var ofs = 0;
        if (call.Get("ofs") is { } ofsText && (!int.TryParse(ofsText, NumberStyles.None, CultureInfo.InvariantCulture, out ofs)))
            return WriteErrorAsync(call.Context, "EGeneral:Invalid arguments:ofs");
        var count = Math.Max(0, hi - lo);
        return WriteResultAsync(call.Context, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("trades");
            for (var i = hi - 1 - ofs; i >= lo && i > hi - 1 - ofs - TradesPageSize; i--)
            {
                var t = trades.At(i);
                w.WriteStartObject(t.TxId);
                w.WriteString("ordertxid", t.OrderTxId);
                w.WriteString("postxid", t.PosTxId);
                w.WriteString("pair", t.Pair.Key);
                w.WriteNumber("time", t.TimeMs / 1000m);
                w.WriteString("type", t.Type);
                w.WriteString("ordertype", t.OrderType);
                w.WriteString("price", KrakenMarkets.Format(t.Price, t.Pair.PairDecimals));
                w.WriteString("cost", KrakenMarkets.Format(t.Cost, t.Pair.CostDecimals));
                w.WriteString("fee", KrakenMarkets.Format(t.Fee, t.Pair.CostDecimals));
                w.WriteString("vol", KrakenMarkets.Format(t.Volume, 8));
                w.WriteString("margin", KrakenMarkets.Format(0m, t.Pair.CostDecimals));
                w.WriteString("misc", "");
                w.WriteNumber("trade_id", t.TradeId);
                w.WriteBoolean("maker", t.Maker);
                w.WriteStartArray("ledgers");
                w.WriteStringValue(t.LedgerId);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteNumber("count", count);
            w.WriteEndObject();
        });
    }

    /// <summary>A bound is a unix time in seconds (fractions allowed) or the txid of one of the account's trades.</summary>
    private static bool TryBound(KrakenTradeSequence trades, string text, out long ms)
    {
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            ms = (long)Math.Floor(seconds * 1000m);
            return true;
        }
        if (trades.IndexOf(text) is { } index)
        {
            ms = trades.TimeMs(index);
            return true;
        }
        ms = 0;
        return false;
    }

    private Task GetApiKeyInfo(KrakenCall call)
    {
        var a = call.Account;
        return WriteResultAsync(call.Context, w =>
        {
            w.WriteStartObject();
            w.WriteString("api_key_name", "bitcain-sim-" + a.Key.Name);
            w.WriteString("api_key", a.Key.ApiKey);
            w.WriteString("nonce", a.LastNonce.ToString(CultureInfo.InvariantCulture));
            w.WriteString("nonce_window", "0");
            w.WriteStartArray("permissions");
            foreach (var p in a.KrakenPermissions) w.WriteStringValue(p);
            w.WriteEndArray();
            w.WriteString("iban", "");
            w.WriteString("valid_until", "0");
            w.WriteString("query_from", "0");
            w.WriteString("query_to", "0");
            w.WriteString("created_time", "1698645219");
            w.WriteString("modified_time", "1698645219");
            w.WriteStartArray("ip_allowlist");
            w.WriteEndArray();
            w.WriteString("last_used", call.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    private static Task GetWebSocketsToken(KrakenCall call) => WriteResultAsync(call.Context, w =>
    {
        w.WriteStartObject();
        w.WriteString("token", Convert.ToBase64String(BitConverter.GetBytes(Deterministic.Hash(call.Account.Key.ApiKey, call.Now.ToUnixTimeSeconds()))));
        w.WriteNumber("expires", 900);
        w.WriteEndObject();
    });
}
