using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Bitcain.Exchanges.Binance;

/// <summary>
/// <c>GET /api/v3/exchangeInfo</c> straight from the response's UTF-8 bytes: one forward pass with
/// <see cref="Utf8JsonReader"/>, no document tree, no transcoding to UTF-16, and no string for anything that does not
/// end up in a <see cref="Market"/>. It reads exactly what the <see cref="JsonElement"/> helpers of
/// <see cref="JsonValues"/> read (the same field may be a string or a number; the last of a repeated field wins; a
/// filter's fields are parsed only when the filter is one we use), so a payload gives the same markets either way.
/// </summary>
/// <remarks>
/// Its methods are compiled fully optimized at once: markets are parsed once per cache period, too rarely for tiered
/// compilation ever to promote this code from its quick first compile, which runs several times slower.
/// </remarks>
internal static class BinanceMarketsReader
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<Market> Read(ReadOnlySpan<byte> utf8, decimal? maker, decimal? taker)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions());
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new InvalidOperationException("exchangeInfo is not an object");
        List<Market>? markets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSymbols = reader.ValueTextEquals("symbols"u8);
            reader.Read();
            if (!isSymbols)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray) throw new InvalidOperationException("symbols is not an array");
            markets = new List<Market>(Math.Max(16, utf8.Length / 1500));
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                markets.Add(ReadSymbol(ref reader, utf8, maker, taker));
        }
        // The whole payload is read even past the symbols: a truncated or broken body is malformed, as the parser
        // that builds a document says.
        while (reader.Read()) { }
        return markets ?? throw new KeyNotFoundException("symbols");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Market ReadSymbol(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, decimal? maker, decimal? taker)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new InvalidOperationException("a symbol is not an object");
        string? symbol = null, baseAsset = null, quoteAsset = null;
        var trading = false;
        Filter price = default, lot = default, notional = default, minNotional = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("symbol"u8)) { reader.Read(); symbol = Text(ref reader); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); trading = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("TRADING"u8); reader.Skip(); }
            else if (reader.ValueTextEquals("baseAsset"u8)) { reader.Read(); baseAsset = AssetCode(ref reader); }
            else if (reader.ValueTextEquals("quoteAsset"u8)) { reader.Read(); quoteAsset = AssetCode(ref reader); }
            else if (reader.ValueTextEquals("filters"u8))
            {
                reader.Read();
                price = lot = notional = minNotional = default;
                if (reader.TokenType != JsonTokenType.StartArray) { reader.Skip(); continue; }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var filter = ReadFilter(ref reader, out var type);
                    switch (type)
                    {
                        case FilterType.Price: price = filter; break;
                        case FilterType.LotSize: lot = filter; break;
                        case FilterType.Notional: notional = filter; break;
                        case FilterType.MinNotional: minNotional = filter; break;
                    }
                }
            }
            else { reader.Read(); reader.Skip(); }
        }
        if (baseAsset is null || quoteAsset is null) throw new ArgumentNullException(baseAsset is null ? "baseAsset" : "quoteAsset");

        decimal? amountStep = null, priceStep = null;
        MinMax amount = MinMax.None, priceLimits = MinMax.None, cost = MinMax.None;
        if (price.Present)
        {
            priceStep = NonZero(price.First.Decimal(utf8));
            priceLimits = new MinMax(price.Second.Decimal(utf8), price.Third.Decimal(utf8));
        }
        if (lot.Present)
        {
            amountStep = NonZero(lot.First.Decimal(utf8));
            amount = new MinMax(lot.Second.Decimal(utf8), lot.Third.Decimal(utf8));
        }
        if (notional.Present) cost = new MinMax(notional.First.Decimal(utf8), notional.Second.Decimal(utf8));
        else if (minNotional.Present) cost = new MinMax(minNotional.First.Decimal(utf8), null);

        return new Market(string.Concat(baseAsset, "/", quoteAsset), symbol!, baseAsset, quoteAsset, trading,
            new MarketPrecision(amountStep, priceStep), new MarketLimits(amount, cost, priceLimits), maker, taker);
    }

    private enum FilterType { Other, Price, LotSize, Notional, MinNotional }

    /// <summary>
    /// A filter's fields we may use, by position: PRICE_FILTER tickSize/minPrice/maxPrice, LOT_SIZE
    /// stepSize/minQty/maxQty, NOTIONAL and MIN_NOTIONAL minNotional/maxNotional. Which is which depends on the
    /// filterType, which may come after them, so every candidate is kept as a raw token until the type is known.
    /// </summary>
    private struct Filter
    {
        public bool Present;
        public RawNumber First, Second, Third;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Filter ReadFilter(ref Utf8JsonReader reader, out FilterType type)
    {
        type = FilterType.Other;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return default;
        }
        RawNumber tickSize = default, minPrice = default, maxPrice = default, stepSize = default, minQty = default, maxQty = default,
            minNotional = default, maxNotional = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("filterType"u8))
            {
                reader.Read();
                type = reader.TokenType != JsonTokenType.String ? FilterType.Other
                    : reader.ValueTextEquals("PRICE_FILTER"u8) ? FilterType.Price
                    : reader.ValueTextEquals("LOT_SIZE"u8) ? FilterType.LotSize
                    : reader.ValueTextEquals("NOTIONAL"u8) ? FilterType.Notional
                    : reader.ValueTextEquals("MIN_NOTIONAL"u8) ? FilterType.MinNotional
                    : FilterType.Other;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("tickSize"u8)) tickSize = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("minPrice"u8)) minPrice = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("maxPrice"u8)) maxPrice = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("stepSize"u8)) stepSize = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("minQty"u8)) minQty = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("maxQty"u8)) maxQty = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("minNotional"u8)) minNotional = RawNumber.Read(ref reader);
            else if (reader.ValueTextEquals("maxNotional"u8)) maxNotional = RawNumber.Read(ref reader);
            else { reader.Read(); reader.Skip(); }
        }
        return type switch
        {
            FilterType.Price => new Filter { Present = true, First = tickSize, Second = minPrice, Third = maxPrice },
            FilterType.LotSize => new Filter { Present = true, First = stepSize, Second = minQty, Third = maxQty },
            FilterType.Notional or FilterType.MinNotional => new Filter { Present = true, First = minNotional, Second = maxNotional },
            _ => default,
        };
    }

    /// <summary>
    /// A value that may be a number, kept as where it lies in the payload and parsed only if it is used: the same
    /// rules as <see cref="JsonValues.DecOrNull(JsonElement)"/> (a JSON number, or a string holding one; anything
    /// else, or a blank string, is no value).
    /// </summary>
    private readonly struct RawNumber
    {
        private readonly JsonTokenType _kind;
        private readonly int _start;
        private readonly int _length;
        private readonly decimal _number;
        private readonly bool _parsed;
        private readonly string? _unescaped;

        private RawNumber(JsonTokenType kind, int start, int length, decimal number, bool parsed, string? unescaped) =>
            (_kind, _start, _length, _number, _parsed, _unescaped) = (kind, start, length, number, parsed, unescaped);

        /// <summary>Reads the property's value (the reader is on the property name).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static RawNumber Read(ref Utf8JsonReader reader)
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    var parsed = reader.TryGetDecimal(out var d);
                    return new RawNumber(JsonTokenType.Number, (int)reader.TokenStartIndex, reader.ValueSpan.Length, d, parsed, null);
                case JsonTokenType.String:
                    return reader.ValueIsEscaped
                        ? new RawNumber(JsonTokenType.String, 0, 0, 0, false, reader.GetString())
                        : new RawNumber(JsonTokenType.String, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, 0, false, null);
                default:
                    reader.Skip();
                    return default;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public decimal? Decimal(ReadOnlySpan<byte> utf8)
        {
            switch (_kind)
            {
                case JsonTokenType.Number:
                    return JsonValues.Trim(_parsed ? _number : decimal.Parse(utf8.Slice(_start, _length), NumberStyles.Float, CultureInfo.InvariantCulture));
                case JsonTokenType.String:
                    if (_unescaped is not null) return FromText(_unescaped);
                    var text = utf8.Slice(_start, _length);
                    if (!Ascii.IsValid(text)) return FromText(Encoding.UTF8.GetString(text));
                    if (TryPlainDecimal(text, out var plain)) return plain;
                    if (text.TrimStart(" \t\n\v\f\r"u8).IsEmpty) return null;
                    return JsonValues.Trim(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                default:
                    return null;
            }
        }

        /// <summary>
        /// The shape Binance sends every amount in, <c>"0.01000000"</c> (digits, at most one point, no sign), built
        /// directly with the trailing zeros already dropped: the same value and scale as parsing, then
        /// <see cref="JsonValues.Trim"/>, without a decimal division per field. Anything else goes the general way.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool TryPlainDecimal(ReadOnlySpan<byte> text, out decimal value)
        {
            value = 0;
            var point = text.IndexOf((byte)'.');
            var whole = point < 0 ? text : text[..point];
            var fraction = point < 0 ? [] : text[(point + 1)..];
            if (whole.IsEmpty || fraction.IndexOf((byte)'.') >= 0) return false;
            fraction = fraction.TrimEnd((byte)'0');
            if (whole.Length + fraction.Length > 19 || fraction.Length > 28) return false;
            ulong significand = 0;
            foreach (var b in whole)
            {
                if ((uint)(b - '0') > 9) return false;
                significand = significand * 10 + (uint)(b - '0');
            }
            foreach (var b in fraction)
            {
                if ((uint)(b - '0') > 9) return false;
                significand = significand * 10 + (uint)(b - '0');
            }
            if (point >= 0 && text.Length == point + 1) return false;
            value = new decimal((int)(uint)significand, (int)(uint)(significand >> 32), 0, false, (byte)fraction.Length);
            return true;
        }

        private static decimal? FromText(string text) =>
            string.IsNullOrWhiteSpace(text) ? null : JsonValues.Trim(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>What <see cref="JsonValues.Str"/> reads: a string, a number's text, true/false; anything else is none.</summary>
    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => SkipToNull(ref reader),
    };

    private static string? SkipToNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>
    /// An asset code as <see cref="AssetCodes.Normalize"/> makes it for Binance, taken from a small table of the codes
    /// already seen: a few hundred assets repeat across two thousand symbols, so most symbols allocate no code at all.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? AssetCode(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.Length > 64 || !Ascii.IsValid(reader.ValueSpan))
            return Text(ref reader) is { } text ? AssetCodes.Normalize("binance", text) : null;
        Span<char> code = stackalloc char[reader.ValueSpan.Length];
        Ascii.ToUpper(reader.ValueSpan, code, out var written);
        return AssetCodes.Interned("binance", code[..written].Trim());
    }

    private static decimal? NonZero(decimal? value) => value is > 0 ? value : null;
}
