using System.Text.Json;

namespace Bitcain.Exchanges.Binance;

/// <summary>Binance and Binance.US JSON to Bitcain's models. Pure: JSON text in, models out.</summary>
public static class BinanceParsers
{
    public static DateTimeOffset ServerTime(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonValues.FromUnixMs(doc.RootElement.Long("serverTime"));
    }

    /// <summary><c>GET /sapi/v1/system/status</c>: 0 normal, 1 maintenance.</summary>
    public static (ExchangeSystemStatus Status, string? Message) SystemStatus(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var status = doc.RootElement.GetProperty("status").Long();
        return (status == 0 ? ExchangeSystemStatus.Normal : ExchangeSystemStatus.Maintenance, doc.RootElement.Str("msg"));
    }

    /// <summary>
    /// <c>GET /api/v3/exchangeInfo</c>. Precision as ccxt's TICK_SIZE mode: the asset precisions first, then
    /// PRICE_FILTER tickSize and LOT_SIZE stepSize where present; min notional from MIN_NOTIONAL (legacy) or NOTIONAL.
    /// exchangeInfo carries no fees, so maker/taker are the exchange's published base tier.
    /// The steps are the filters' own: baseAssetPrecision and quotePrecision are how many decimals an asset is kept
    /// to, not the order steps, so a symbol without PRICE_FILTER/LOT_SIZE has none.
    /// </summary>
    /// <param name="utf8">The response body as sent: about 2,000 symbols and megabytes of JSON, read in one pass.</param>
    public static IReadOnlyList<Market> Markets(ReadOnlySpan<byte> utf8, decimal? maker, decimal? taker) =>
        BinanceMarketsReader.Read(utf8, maker, taker);

    public static IReadOnlyList<Market> Markets(string json, decimal? maker, decimal? taker) =>
        Markets(System.Text.Encoding.UTF8.GetBytes(json), maker, taker);

    /// <summary><c>GET /api/v3/ticker/24hr?symbol=</c>; the statistics window closes at <c>closeTime</c>.</summary>
    public static Ticker Ticker(string json, Market market)
    {
        using var doc = JsonDocument.Parse(json);
        var t = doc.RootElement;
        return new Ticker(
            market.Symbol, t.Str("symbol") ?? market.ExchangeSymbol,
            t.DecOrNull("bidPrice"), t.DecOrNull("askPrice"), t.DecOrNull("lastPrice"), t.DecOrNull("openPrice"),
            t.DecOrNull("highPrice"), t.DecOrNull("lowPrice"), t.DecOrNull("volume"), t.DecOrNull("quoteVolume"),
            t.DecOrNull("priceChange"), t.DecOrNull("priceChangePercent"),
            JsonValues.FromUnixMs(t.Long("closeTime")));
    }

    /// <summary><c>GET /api/v3/account</c>: <c>balances[]{asset, free, locked}</c>.</summary>
    public static IReadOnlyDictionary<string, Balance> Balances(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var b in doc.RootElement.GetProperty("balances").EnumerateArray())
        {
            var currency = AssetCodes.Normalize("binance", b.Str("asset")!);
            balances[currency] = new Balance(currency, b.Dec("free"), b.Dec("locked"));
        }
        return balances;
    }

    /// <summary><c>GET /api/v3/myTrades</c>; the fee is the commission in <c>commissionAsset</c>.</summary>
    public static IReadOnlyList<Trade> MyTrades(string json, Func<string, Market?> marketOf) =>
        MyTrades(System.Text.Encoding.UTF8.GetBytes(json), marketOf);

    /// <summary><c>GET /api/v3/myTrades</c> from the response's UTF-8 bytes: a page of 1,000 trades is about 250 KB, which
    /// as a string was another half megabyte on the large object heap per page (and a transcoding) before it was read.</summary>
    public static IReadOnlyList<Trade> MyTrades(ReadOnlyMemory<byte> utf8, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(utf8);
        var trades = new List<Trade>(doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : 0);
        foreach (var t in doc.RootElement.EnumerateArray())
        {
            var exchangeSymbol = t.Str("symbol")!;
            var price = t.Dec("price");
            var amount = t.Dec("qty");
            trades.Add(new Trade(
                t.Str("id")!, t.Str("orderId"),
                marketOf(exchangeSymbol)?.Symbol ?? exchangeSymbol, exchangeSymbol,
                t.Bool("isBuyer") ? TradeSide.Buy : TradeSide.Sell,
                price, amount, t.DecOrNull("quoteQty") ?? price * amount,
                t.DecOrNull("commission"),
                t.Str("commissionAsset") is { Length: > 0 } asset ? AssetCodes.Normalize("binance", asset) : null,
                JsonValues.FromUnixMs(t.Long("time")),
                t.Bool("isMaker") ? TradeLiquidity.Maker : TradeLiquidity.Taker));
        }
        return trades;
    }

    /// <summary><c>GET /sapi/v1/account/apiRestrictions</c> (Binance only): the key's own switches.</summary>
    public static KeyPermissions ApiRestrictions(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new KeyPermissions(r.Bool("enableReading"), r.Bool("enableSpotAndMarginTrading"), r.Bool("enableWithdrawals"));
    }

    /// <summary>
    /// <c>GET /api/v3/account</c> on Binance.US, which publishes no per-key permission endpoint: a signed call that
    /// succeeds proves read access; <c>canTrade</c>/<c>canWithdraw</c> say what the key may do on this account.
    /// </summary>
    public static KeyPermissions AccountPermissions(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new KeyPermissions(true, r.Bool("canTrade"), r.Bool("canWithdraw"));
    }

    public static BnbBurnSettings BnbBurn(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return new BnbBurnSettings(doc.RootElement.Bool("spotBNBBurn"), doc.RootElement.Bool("interestBNBBurn"));
    }

    /// <summary>Binance <c>POST /sapi/v1/asset/dust-btc</c>: the small balances convertible to BNB.</summary>
    public static DustAssets DustBtc(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var assets = r.Prop("details") is { ValueKind: JsonValueKind.Array } details
            ? details.EnumerateArray().Select(d => new DustAsset(
                AssetCodes.Normalize("binance", d.Str("asset")!), d.Dec("amountFree"), d.DecOrNull("toBTC"), d.DecOrNull("toBNB"))).ToList()
            : [];
        return new DustAssets(assets, r.DecOrNull("totalTransferBtc"), r.DecOrNull("totalTransferBNB"));
    }

    /// <summary>
    /// Binance.US <c>GET /sapi/v1/asset/query/dust-assets?toAsset=BNB</c> (ccxt's binanceus API map; the field names
    /// come from third-party code, so every known spelling is read and BTC values are absent).
    /// </summary>
    public static DustAssets UsDustAssets(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var list = r.Prop("convertibleAssets") ?? r.Prop("details");
        var assets = list is { ValueKind: JsonValueKind.Array } items
            ? items.EnumerateArray().Select(d => new DustAsset(
                AssetCodes.Normalize("binanceus", (d.Str("fromAsset") ?? d.Str("asset"))!),
                d.DecOrNull("availableBalance") ?? d.DecOrNull("amountFree") ?? d.DecOrNull("convertedAsset") ?? 0m,
                d.DecOrNull("toBTC"),
                d.DecOrNull("receivedAsset") ?? d.DecOrNull("toBNB"))).ToList()
            : [];
        return new DustAssets(assets, r.DecOrNull("totalTransferBtc"),
            r.DecOrNull("totalReceivedAsset") ?? r.DecOrNull("totalTransferBNB") ?? (assets.Count > 0 && assets.All(a => a.ToBnb is not null) ? assets.Sum(a => a.ToBnb!.Value) : null));
    }


    private static decimal? NonZero(decimal? value) => value is > 0 ? value : null;
}
