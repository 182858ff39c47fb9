using System.Text.Json;

namespace Bitcain.Exchanges.Bitfinex;

/// <summary>One line of <c>pub:info:pair</c>: order size bounds and, where Bitfinex states it, the price's significant digits.</summary>
public sealed record BitfinexPairInfo(decimal? MinOrderSize, decimal? MaxOrderSize, int? PriceSignificantDigits);

/// <summary>Bitfinex v2 payloads (positional arrays, not objects) to the unified models.</summary>
public static class BitfinexParsers
{
    /// <summary>Bitfinex keeps short or legacy codes for some currencies; these are what users and ccxt call them
    /// (Bitfinex's own <c>pub:map:currency:sym</c> and ccxt's bitfinex common currencies agree on them).</summary>
    private static readonly Dictionary<string, string> Currencies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UST"] = "USDT", ["UDC"] = "USDC", ["TSD"] = "TUSD", ["DSH"] = "DASH", ["IOT"] = "IOTA", ["QTM"] = "QTUM",
        ["MNA"] = "MANA", ["STJ"] = "STORJ", ["ALG"] = "ALGO", ["ATO"] = "ATOM", ["EUT"] = "EURT", ["DAT"] = "DATA",
    };

    /// <summary>Prices are rounded to 5 significant digits on Bitfinex unless a pair says otherwise.</summary>
    public const int DefaultPriceSignificantDigits = 5;

    /// <summary>Amounts carry at most 8 decimals.</summary>
    public const decimal AmountStep = 0.00000001m;

    public static string Asset(string code)
    {
        code = code.Trim().ToUpperInvariant();
        return Currencies.TryGetValue(code, out var common) ? common : code;
    }

    /// <summary><c>BTCUSD</c> is two 3-letter codes; a longer code makes Bitfinex write a colon: <c>TESTBTC:TESTUSD</c>, <c>DOGE:UST</c>.</summary>
    public static (string Base, string Quote)? SplitPair(string pair)
    {
        if (pair.StartsWith('t') && (pair.Length == 7 || pair.Contains(':'))) pair = pair[1..];
        var colon = pair.IndexOf(':');
        if (colon > 0 && colon < pair.Length - 1) return (Asset(pair[..colon]), Asset(pair[(colon + 1)..]));
        return pair.Length == 6 ? (Asset(pair[..3]), Asset(pair[3..])) : null;
    }

    /// <summary><c>platform/status</c>: <c>[1]</c> operative, <c>[0]</c> maintenance.</summary>
    public static ExchangeSystemStatus PlatformStatus(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement[0].Long() == 1 ? ExchangeSystemStatus.Normal : ExchangeSystemStatus.Maintenance;
    }

    /// <summary><c>conf/pub:list:pair:exchange</c>: <c>[["BTCUSD","ETHUSD",...]]</c>, the pairs tradable on the exchange (spot) wallet.</summary>
    public static IReadOnlyList<string> ExchangePairs(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement[0].EnumerateArray().Select(p => p.GetString()!).ToList();
    }

    /// <summary><c>conf/pub:info:pair</c>: <c>[[["BTCUSD",[_, PRICE_DIGITS?, _, MIN_ORDER_SIZE, MAX_ORDER_SIZE, ...]], ...]]</c>.</summary>
    public static IReadOnlyDictionary<string, BitfinexPairInfo> PairInfo(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var info = new Dictionary<string, BitfinexPairInfo>(StringComparer.Ordinal);
        foreach (var line in doc.RootElement[0].EnumerateArray())
        {
            var values = line[1];
            JsonElement At(int i) => values.GetArrayLength() > i ? values[i] : default;
            var digits = At(1).ValueKind == JsonValueKind.Number ? (int?)At(1).GetInt32() : null;
            info[line[0].GetString()!] = new BitfinexPairInfo(At(3).DecOrNull(), At(4).DecOrNull(), digits is > 0 ? digits : null);
        }
        return info;
    }

    /// <summary><c>tickers?symbols=ALL</c>: trading lines are <c>[SYMBOL, BID, BID_SIZE, ASK, ASK_SIZE, CHANGE, CHANGE_RELATIVE,
    /// LAST_PRICE, ...]</c>; funding lines (<c>f...</c>) are skipped.</summary>
    public static IReadOnlyDictionary<string, decimal> LastPrices(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var t in doc.RootElement.EnumerateArray())
            if (t[0].GetString() is { } symbol && symbol.StartsWith('t') && t.GetArrayLength() > 7 && t[7].DecOrNull() is { } last)
                prices[symbol] = last;
        return prices;
    }

    /// <summary>
    /// The exchange-wallet pairs with their bounds. Bitfinex has no fixed tick: prices keep 5 significant digits, so in
    /// ccxt's TICK_SIZE terms the step is the one at today's last price (1 at 91,250; 0.00001 at 0.612), 8 decimals at most.
    /// </summary>
    public static IReadOnlyList<Market> Markets(
        IReadOnlyList<string> exchangePairs, IReadOnlyDictionary<string, BitfinexPairInfo> info, IReadOnlyDictionary<string, decimal> lastPrices,
        decimal maker, decimal taker)
    {
        var markets = new List<Market>();
        foreach (var pair in exchangePairs)
        {
            if (SplitPair(pair) is not var (@base, quote)) continue;
            var i = info.GetValueOrDefault(pair);
            var id = "t" + pair;
            var tick = lastPrices.TryGetValue(id, out var last) ? PriceStep(last, i?.PriceSignificantDigits ?? DefaultPriceSignificantDigits) : null;
            markets.Add(new Market($"{@base}/{quote}", id, @base, quote, true, new MarketPrecision(AmountStep, tick),
                new MarketLimits(new MinMax(i?.MinOrderSize, i?.MaxOrderSize), MinMax.None, MinMax.None), maker, taker));
        }
        return markets;
    }

    /// <summary>The price step that keeps <paramref name="digits"/> significant digits at <paramref name="price"/>.</summary>
    public static decimal? PriceStep(decimal price, int digits)
    {
        if (price <= 0) return null;
        var step = 1m;
        var magnitude = 0;
        for (var p = price; p >= 10m; p /= 10m) magnitude++;
        for (var p = price; p < 1m; p *= 10m) magnitude--;
        var exponent = magnitude - (digits - 1);
        for (var e = 0; e < exponent; e++) step *= 10m;
        for (var e = 0; e > exponent; e--) step /= 10m;
        return Math.Max(step, AmountStep);
    }

    /// <summary><c>ticker/tBTCUSD</c>: <c>[BID, BID_SIZE, ASK, ASK_SIZE, DAILY_CHANGE, DAILY_CHANGE_RELATIVE, LAST_PRICE, VOLUME, HIGH, LOW]</c>;
    /// the relative change is a fraction, the volume in the base currency; Bitfinex sends no timestamp.</summary>
    public static Ticker Ticker(string body, Market market, DateTimeOffset now)
    {
        using var doc = JsonDocument.Parse(body);
        var t = doc.RootElement;
        if (t.GetArrayLength() < 10) throw new FormatException("a ticker has ten fields");
        var last = t[6].DecOrNull();
        var change = t[4].DecOrNull();
        var open = last is { } l && change is { } c ? l - c : (decimal?)null;
        return new Ticker(market.Symbol, market.ExchangeSymbol, t[0].DecOrNull(), t[2].DecOrNull(), last, open, t[8].DecOrNull(), t[9].DecOrNull(),
            t[7].DecOrNull(), null, change, t[5].DecOrNull() is { } relative ? JsonValues.Trim(Math.Round(relative * 100m, 8)) : null, now);
    }

    /// <summary><c>auth/r/wallets</c>: <c>[[TYPE, CURRENCY, BALANCE, UNSETTLED_INTEREST, AVAILABLE_BALANCE, ...]]</c>. Only the
    /// <c>exchange</c> wallet is spot; what is not available is held by orders. AVAILABLE_BALANCE is null until Bitfinex has
    /// computed it, then all of it counts as free.</summary>
    public static IReadOnlyDictionary<string, Balance> Balances(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var balances = new Dictionary<string, Balance>(StringComparer.Ordinal);
        foreach (var w in doc.RootElement.EnumerateArray())
        {
            if (w[0].GetString() != "exchange") continue;
            var code = Asset(w[1].GetString()!);
            var total = w[2].Dec();
            var free = w.GetArrayLength() > 4 && w[4].DecOrNull() is { } available ? available : total;
            balances[code] = new Balance(code, free, Math.Max(0m, total - free));
        }
        return balances;
    }

    /// <summary><c>auth/r/trades/hist</c>: <c>[[ID, SYMBOL, MTS, ORDER_ID, EXEC_AMOUNT, EXEC_PRICE, ORDER_TYPE, ORDER_PRICE, MAKER, FEE,
    /// FEE_CURRENCY, CID]]</c>. A negative amount is a sell; MAKER is 1 (maker) or -1 (taker); a fee charged is negative.</summary>
    public static IReadOnlyList<Trade> Trades(string body, Func<string, Market?> marketOf)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.EnumerateArray().Select(t =>
        {
            var symbol = t[1].GetString()!;
            var market = marketOf(symbol);
            var executed = t[4].Dec();
            var price = t[5].Dec();
            var amount = Math.Abs(executed);
            var fee = t.GetArrayLength() > 9 && t[9].DecOrNull() is { } signed ? -signed : (decimal?)null;
            var feeCurrency = t.GetArrayLength() > 10 && t[10].ValueKind == JsonValueKind.String ? Asset(t[10].GetString()!) : null;
            var unified = market?.Symbol ?? (SplitPair(symbol) is var (b, q) ? $"{b}/{q}" : symbol);
            TradeLiquidity? liquidity = t.GetArrayLength() > 8 && t[8].ValueKind == JsonValueKind.Number
                ? t[8].GetInt32() switch { 1 => TradeLiquidity.Maker, -1 => TradeLiquidity.Taker, _ => null }
                : null;
            return new Trade(t[0].Long().ToString(System.Globalization.CultureInfo.InvariantCulture),
                t[3].ValueKind == JsonValueKind.Null ? null : t[3].Long().ToString(System.Globalization.CultureInfo.InvariantCulture),
                unified, symbol, executed < 0 ? TradeSide.Sell : TradeSide.Buy, price, amount, price * amount, fee, feeCurrency,
                JsonValues.FromUnixMs(t[2].Long()), liquidity);
        }).ToList();
    }

    /// <summary><c>auth/r/permissions</c>: <c>[[SCOPE, READ, WRITE], ...]</c> over account, history, orders, positions, funding,
    /// settings, wallets, withdraw. Reading is any read scope, trading is writing orders, withdrawing is writing withdraw.</summary>
    public static KeyPermissions Permissions(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var scopes = doc.RootElement.EnumerateArray()
            .ToDictionary(s => s[0].GetString()!, s => (Read: s[1].Long() == 1, Write: s[2].Long() == 1), StringComparer.OrdinalIgnoreCase);
        return new KeyPermissions(scopes.Values.Any(s => s.Read), scopes.GetValueOrDefault("orders").Write, scopes.GetValueOrDefault("withdraw").Write);
    }
}
