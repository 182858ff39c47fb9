using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.Coinbase;

/// <summary>One fill with the entry id Coinbase pages by.</summary>
public sealed record CoinbaseFill(string EntryId, Trade Trade);

/// <summary>Coinbase Advanced Trade payloads (FACTS.md §4, the recorded <c>fixtures/raw/coinbase.*.json</c>) to the unified models.</summary>
public static class CoinbaseParsers
{
    /// <summary><c>/time</c>: <c>{"iso":"2024-...Z","epochSeconds":"1705314600","epochMillis":"1705314600123"}</c>; the numbers may
    /// come as strings or numbers, and the milliseconds win when present.</summary>
    public static DateTimeOffset ServerTime(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.Prop("epochMillis") is { } ms && ms.ValueKind is JsonValueKind.Number or JsonValueKind.String) return JsonValues.FromUnixMs(ms.Long());
        if (root.Prop("epochSeconds") is { } s && s.ValueKind is JsonValueKind.Number or JsonValueKind.String) return DateTimeOffset.FromUnixTimeSeconds(s.Long());
        return Time(root.Str("iso") ?? throw new FormatException("no time in /time"));
    }

    /// <summary>
    /// <c>market/products?product_type=SPOT</c>: <c>{"products":[...], "num_products":N}</c>. The unified symbol is
    /// <c>base_currency_id/quote_currency_id</c> and the id Coinbase's <c>product_id</c> (<c>BTC-USD</c>). A product trades when it
    /// is <c>online</c> and neither <c>trading_disabled</c>, <c>is_disabled</c> nor <c>view_only</c>. Precision in tick sizes:
    /// amount <c>base_increment</c>, price <c>price_increment</c> (nothing else stands in for it); limits from the base and quote
    /// min/max sizes (the quote ones bound the order's cost).
    /// </summary>
    public static IReadOnlyList<Market> Markets(string body, decimal maker, decimal taker)
    {
        using var doc = JsonDocument.Parse(body);
        var products = doc.RootElement.Prop("products") ?? throw new FormatException("no products");
        var markets = new List<Market>();
        foreach (var p in products.EnumerateArray())
        {
            var type = p.Str("product_type");
            if (type is not null && type != "SPOT") continue;
            if (Market(p, maker, taker) is { } market) markets.Add(market);
        }
        return markets;
    }

    private static Market? Market(JsonElement p, decimal maker, decimal taker)
    {
        var id = p.Str("product_id");
        var @base = p.Str("base_currency_id") is { Length: > 0 } b ? b : id?.Split('-')[0];
        var quote = p.Str("quote_currency_id") is { Length: > 0 } q ? q : id?.Split('-') is [_, var qq] ? qq : null;
        if (id is null || @base is null || quote is null) return null;
        @base = AssetCodes.Normalize("coinbase", @base);
        quote = AssetCodes.Normalize("coinbase", quote);
        var active = string.Equals(p.Str("status"), "online", StringComparison.OrdinalIgnoreCase)
                     && !p.Bool("trading_disabled") && !p.Bool("is_disabled") && !p.Bool("view_only");
        return new Market($"{@base}/{quote}", id, @base, quote, active,
            new MarketPrecision(p.DecOrNull("base_increment"), p.DecOrNull("price_increment")),
            new MarketLimits(
                new MinMax(p.DecOrNull("base_min_size"), p.DecOrNull("base_max_size")),
                new MinMax(p.DecOrNull("quote_min_size"), p.DecOrNull("quote_max_size")),
                MinMax.None),
            maker, taker);
    }

    /// <summary>One product (<c>market/products/{id}</c>), the same fields as in the list.</summary>
    public static Market Product(string body, decimal maker, decimal taker)
    {
        using var doc = JsonDocument.Parse(body);
        return Market(doc.RootElement, maker, taker) ?? throw new FormatException("not a product");
    }

    /// <summary>
    /// The ticker from two answers: <c>market/products/{id}/ticker</c> (<c>best_bid</c>, <c>best_ask</c>, the latest
    /// <c>trades</c>, newest first) and <c>market/products/{id}</c> (<c>price</c>, <c>volume_24h</c> in the base currency,
    /// <c>approximate_quote_24h_volume</c>, <c>price_percentage_change_24h</c> in percent). Coinbase gives no 24 h high or low
    /// here; the open is derived from the price and its percentage change. The time is the latest trade's, else now.
    /// </summary>
    public static Ticker Ticker(string tickerBody, string productBody, Market market, DateTimeOffset now)
    {
        using var t = JsonDocument.Parse(tickerBody);
        using var p = JsonDocument.Parse(productBody);
        var ticker = t.RootElement;
        var product = p.RootElement;
        var latest = ticker.Prop("trades") is { ValueKind: JsonValueKind.Array } trades && trades.GetArrayLength() > 0 ? trades[0] : (JsonElement?)null;
        var last = product.DecOrNull("price") ?? latest?.DecOrNull("price");
        var percent = product.DecOrNull("price_percentage_change_24h");
        decimal? open = null, change = null;
        if (last is { } l && percent is { } pct && pct > -100m)
        {
            open = JsonValues.Trim(Math.Round(l * 100m / (100m + pct), 8));
            change = JsonValues.Trim(l - open.Value);
        }
        var at = latest?.Str("time") is { Length: > 0 } time ? Time(time) : now;
        return new Ticker(market.Symbol, market.ExchangeSymbol, ticker.DecOrNull("best_bid"), ticker.DecOrNull("best_ask"), last, open, null, null,
            product.DecOrNull("volume_24h"), product.DecOrNull("approximate_quote_24h_volume"), change,
            percent is { } pc ? JsonValues.Trim(Math.Round(pc, 8)) : null, at);
    }

    /// <summary>One page of <c>accounts</c>: <c>{"accounts":[{currency, available_balance{value}, hold{value}}], "has_next", "cursor"}</c>.</summary>
    public static (IReadOnlyList<Balance> Balances, string? NextCursor) Accounts(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var balances = (root.Prop("accounts") ?? throw new FormatException("no accounts")).EnumerateArray()
            .Select(a => new Balance(AssetCodes.Normalize("coinbase", a.Str("currency") ?? throw new FormatException("no currency")),
                a.Prop("available_balance")?.DecOrNull("value") ?? 0m, a.Prop("hold")?.DecOrNull("value") ?? 0m))
            .ToList();
        var next = root.Bool("has_next") && root.Str("cursor") is { Length: > 0 } cursor ? cursor : null;
        return (balances, next);
    }

    /// <summary>Coinbase keeps one account per currency and lists every currency it supports, most at zero; the ones at zero are
    /// not holdings and are left out, and a currency met twice (several wallets) is summed.</summary>
    public static IReadOnlyDictionary<string, Balance> Balances(IEnumerable<Balance> accounts)
    {
        var sums = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var a in accounts)
        {
            if (a.Free == 0m && a.Locked == 0m) continue;
            sums[a.Currency] = sums.TryGetValue(a.Currency, out var seen) ? new Balance(a.Currency, seen.Free + a.Free, seen.Locked + a.Locked) : a;
        }
        return sums;
    }

    /// <summary>
    /// <c>orders/historical/fills</c>: <c>{"fills":[{entry_id, trade_id, order_id, trade_time, price, size, commission, product_id,
    /// liquidity_indicator, side, size_in_quote}], "cursor":""}</c>, newest first; an empty cursor is the last page. The size is in
    /// the base currency unless <c>size_in_quote</c>; the commission is in the quote currency.
    /// </summary>
    public static (IReadOnlyList<CoinbaseFill> Fills, string? NextCursor) Fills(string body, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var fills = (root.Prop("fills") ?? throw new FormatException("no fills")).EnumerateArray().Select(f =>
        {
            var productId = f.Str("product_id") ?? throw new FormatException("no product_id");
            var market = marketOf(productId);
            var parts = productId.Split('-');
            var quote = market?.Quote ?? (parts.Length == 2 ? AssetCodes.Normalize("coinbase", parts[1]) : null);
            var price = f.Dec("price");
            var size = f.Dec("size");
            var amount = f.Bool("size_in_quote") && price > 0 ? JsonValues.Trim(Math.Round(size / price, 12)) : size;
            TradeLiquidity? liquidity = f.Str("liquidity_indicator")?.ToUpperInvariant() switch
            {
                "MAKER" => TradeLiquidity.Maker,
                "TAKER" => TradeLiquidity.Taker,
                _ => null,
            };
            var trade = new Trade(f.Str("trade_id") ?? f.Str("entry_id") ?? throw new FormatException("no trade_id"), f.Str("order_id"),
                market?.Symbol ?? (parts.Length == 2 ? $"{AssetCodes.Normalize("coinbase", parts[0])}/{quote}" : productId), productId,
                string.Equals(f.Str("side"), "SELL", StringComparison.OrdinalIgnoreCase) ? TradeSide.Sell : TradeSide.Buy,
                price, amount, JsonValues.Trim(price * amount), f.DecOrNull("commission"), quote,
                Time(f.Str("trade_time") ?? throw new FormatException("no trade_time")), liquidity);
            return new CoinbaseFill(f.Str("entry_id") ?? trade.Id, trade);
        }).ToList();
        var next = root.Str("cursor") is { Length: > 0 } cursor ? cursor : null;
        return (fills, next);
    }

    /// <summary><c>key_permissions</c>: <c>{can_view, can_trade, can_transfer, portfolio_uuid, portfolio_type}</c>; transfer is
    /// what lets a key send funds out.</summary>
    public static KeyPermissions Permissions(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.Prop("can_view") is null) throw new FormatException("no permissions");
        return new KeyPermissions(root.Bool("can_view"), root.Bool("can_trade"), root.Bool("can_transfer"));
    }

    /// <summary>RFC 3339 with up to microseconds; kept to whole milliseconds as the other exchanges are.</summary>
    public static DateTimeOffset Time(string text)
    {
        var t = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
    }
}
