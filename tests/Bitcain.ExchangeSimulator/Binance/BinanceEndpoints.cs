using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>Endpoint bodies, shaped like the examples in binance-spot-api-docs rest-api.md and the SAPI pages cited
/// in shared/exchanges/FACTS.md (prices and quantities as strings, ids and times as numbers).</summary>
internal sealed partial class BinanceExchange
{
    private const long DayMs = 86_400_000;

    private static Task Ping(BinanceRequest r) => SimJson.WriteRawAsync(r.Context, 200, "{}");

    private static Task Time(BinanceRequest r) =>
        SimJson.WriteAsync(r.Context, 200, new { serverTime = r.Now.ToUnixTimeMilliseconds() });

    private static Task SystemStatus(BinanceRequest r) => SimJson.WriteAsync(r.Context, 200, new { status = 0, msg = "normal" });

    private Task ExchangeInfo(BinanceRequest r)
    {
        var selected = SelectSymbols(r);
        if (r.Get("symbolStatus") is { } status)
        {
            if (status is not ("TRADING" or "HALT" or "BREAK")) throw new BinanceException(new BinanceError(400, -1122, "Invalid symbolStatus."));
            selected = (selected ?? _venue.Markets.Symbols).Where(s => s.Status == status).ToList();
        }
        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartObject();
            w.WriteString("timezone", "UTC");
            w.WriteNumber("serverTime", r.Now.ToUnixTimeMilliseconds());
            w.WriteStartArray("rateLimits");
            RateLimit(w, "REQUEST_WEIGHT", "MINUTE", 1, _options.Binance.RequestWeightPerMinute);
            RateLimit(w, "ORDERS", "SECOND", 10, 100);
            RateLimit(w, "ORDERS", "DAY", 1, 200000);
            RateLimit(w, "RAW_REQUESTS", "MINUTE", 5, 61000);
            w.WriteEndArray();
            w.WriteStartArray("exchangeFilters");
            w.WriteEndArray();
            w.WritePropertyName("symbols");
            if (selected is null) w.WriteRawValue(_venue.Markets.AllSymbolsJson, skipInputValidation: true);
            else
            {
                w.WriteStartArray();
                foreach (var s in selected) w.WriteRawValue(s.Json, skipInputValidation: true);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }

    private static void RateLimit(Utf8JsonWriter w, string type, string interval, int intervalNum, int limit)
    {
        w.WriteStartObject();
        w.WriteString("rateLimitType", type);
        w.WriteString("interval", interval);
        w.WriteNumber("intervalNum", intervalNum);
        w.WriteNumber("limit", limit);
        w.WriteEndObject();
    }

    /// <summary>null = every symbol. <c>symbols</c> must be a JSON array, as Binance requires.</summary>
    private List<BinanceSymbol>? SelectSymbols(BinanceRequest r)
    {
        var symbol = r.Get("symbol");
        var symbols = r.Get("symbols");
        if (symbol is not null && symbols is not null) throw new BinanceException(BinanceError.BadCombination);
        if (symbol is not null) return [Lookup(symbol)];
        if (symbols is null) return null;
        var names = ParseSymbolList(symbols);
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new BinanceException(new BinanceError(400, -1151, "Symbol is present multiple times in the list."));
        return names.Select(Lookup).ToList();
    }

    private static List<string> ParseSymbolList(string symbols)
    {
        try
        {
            var names = JsonSerializer.Deserialize<List<string>>(symbols);
            if (names is { Count: > 0 } && names.All(n => n.Length is > 0 and <= 20)) return names;
        }
        catch (JsonException)
        {
        }
        throw new BinanceException(BinanceError.IllegalChars("symbols",
            "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$"));
    }

    private BinanceSymbol Lookup(string symbol) =>
        _venue.Markets.BySymbol.TryGetValue(symbol, out var s) ? s : throw new BinanceException(BinanceError.InvalidSymbol);

    private static int TickerWeight(BinanceRequest r)
    {
        if (r.Has("symbol")) return 2;
        if (r.Get("symbols") is not { } symbols) return 80;
        var count = ParseSymbolList(symbols).Count;
        return count <= 20 ? 2 : count <= 100 ? 40 : 80;
    }

    private Task Ticker24h(BinanceRequest r)
    {
        var type = r.Get("type") ?? "FULL";
        if (type is not ("FULL" or "MINI")) throw new BinanceException(new BinanceError(400, -1139, "Invalid ticker type."));
        var mini = type == "MINI";
        var single = r.Get("symbol") is not null;
        var selected = SelectSymbols(r) ?? _venue.Markets.Symbols.ToList();
        return WriteJsonAsync(r.Context, w =>
        {
            if (single)
            {
                BinanceTicker.Write(w, selected[0], r.Now, mini);
                return;
            }
            w.WriteStartArray();
            foreach (var s in selected) BinanceTicker.Write(w, s, r.Now, mini);
            w.WriteEndArray();
        });
    }

    private Task AccountInfo(BinanceRequest r)
    {
        var account = r.SignedAccount;
        var omitZero = r.GetBool("omitZeroBalances") ?? false;
        var canTrade = account.Key.Can(Permission.Trade);
        return SimJson.WriteAsync(r.Context, 200, new
        {
            makerCommission = 10,
            takerCommission = 10,
            buyerCommission = 0,
            sellerCommission = 0,
            commissionRates = new { maker = "0.00100000", taker = "0.00100000", buyer = "0.00000000", seller = "0.00000000" },
            canTrade,
            canWithdraw = account.Key.Can(Permission.Withdraw),
            canDeposit = true,
            brokered = false,
            requireSelfTradePrevention = false,
            preventSor = false,
            updateTime = _options.DataEpoch.ToUnixTimeMilliseconds(),
            accountType = "SPOT",
            balances = account.Balances
                .Where(b => !omitZero || b.Free != 0m || b.Locked != 0m)
                .Select(b => new { asset = b.Asset, free = BinanceMarkets.F8(b.Free), locked = BinanceMarkets.F8(b.Locked) }),
            permissions = new[] { "SPOT" },
            uid = account.Uid,
        });
    }

    /// <summary>GET /api/v3/myTrades: symbol required; limit default 500, at most 1000; fromId pages forward by trade id;
    /// startTime..endTime at most 24 hours; without them the most recent trades.</summary>
    private Task MyTrades(BinanceRequest r)
    {
        var symbolName = r.Get("symbol") ?? throw new BinanceException(BinanceError.Mandatory("symbol"));
        var symbol = Lookup(symbolName);
        // Spot caps an oversized limit at 1000 rather than refusing it (ccxt/ccxt#19247); only futures answer -1130.
        var limit = Math.Min(1000, r.GetLong("limit") ?? 500);
        if (limit < 1) throw new BinanceException(BinanceError.InvalidParameter("limit"));
        var fromId = r.GetLong("fromId");
        var orderId = r.GetLong("orderId");
        var startTime = r.GetLong("startTime");
        var endTime = r.GetLong("endTime");
        if (fromId is not null && (startTime is not null || endTime is not null)) throw new BinanceException(BinanceError.BadCombination);
        if (orderId is not null && (startTime is not null || endTime is not null)) throw new BinanceException(BinanceError.BadCombination);
        if (startTime is not null && endTime is not null && endTime - startTime > DayMs) throw new BinanceException(BinanceError.MoreThanHours(24));

        var trades = new List<BinanceTrade>();
        if (r.SignedAccount.Trades.TryGetValue(symbol.Symbol, out var series))
        {
            int from, to;
            if (orderId is not null)
            {
                var k = series.IndexOfOrder(orderId.Value);
                (from, to) = k is null || (fromId is not null && series.Id(k.Value) < fromId) ? (0, 0) : (k.Value, k.Value + 1);
            }
            else if (fromId is not null)
            {
                from = series.FirstWithIdAtLeast(fromId.Value);
                to = (int)Math.Min(series.Count, from + limit);
            }
            else if (startTime is not null || endTime is not null)
            {
                var start = startTime ?? endTime!.Value - DayMs;
                var end = endTime ?? startTime!.Value + DayMs;
                from = series.FirstAtOrAfter(start);
                to = Math.Max(from, series.FirstAtOrAfter(end + 1));
                if (to - from > limit)
                {
                    if (startTime is null) from = (int)(to - limit); else to = (int)(from + limit);
                }
            }
            else
            {
                to = series.Count;
                from = (int)Math.Max(0, to - limit);
            }
            for (var k = from; k < to; k++) trades.Add(series.At(k));
        }

        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartArray();
            foreach (var t in trades)
            {
                w.WriteStartObject();
                w.WriteString("symbol", t.Symbol);
                w.WriteNumber("id", t.Id);
                w.WriteNumber("orderId", t.OrderId);
                w.WriteNumber("orderListId", -1);
                w.WriteString("price", BinanceMarkets.F8(t.Price));
                w.WriteString("qty", BinanceMarkets.F8(t.Qty));
                w.WriteString("quoteQty", BinanceMarkets.F8(t.QuoteQty));
                w.WriteString("commission", BinanceMarkets.F8(t.Commission));
                w.WriteString("commissionAsset", t.CommissionAsset);
                w.WriteNumber("time", t.Time);
                w.WriteBoolean("isBuyer", t.IsBuyer);
                w.WriteBoolean("isMaker", t.IsMaker);
                w.WriteBoolean("isBestMatch", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static Task ApiRestrictions(BinanceRequest r)
    {
        var key = r.SignedAccount.Key;
        var trade = key.Can(Permission.Trade);
        return SimJson.WriteAsync(r.Context, 200, new
        {
            ipRestrict = false,
            createTime = r.SignedAccount.CreateTime,
            enableInternalTransfer = false,
            enableFutures = false,
            enablePortfolioMarginTrading = false,
            enableVanillaOptions = false,
            permitsUniversalTransfer = false,
            enableReading = key.Can(Permission.Read),
            enableSpotAndMarginTrading = trade,
            enableWithdrawals = key.Can(Permission.Withdraw),
            enableMargin = false,
            enableFixApiTrade = false,
            enableFixReadOnly = false,
        });
    }

    private static Task GetBnbBurn(BinanceRequest r) => WriteBnbBurn(r);

    /// <summary>POST /sapi/v1/bnbBurn: spotBNBBurn / interestBNBBurn as "true"/"false" strings, at least one.</summary>
    private static Task SetBnbBurn(BinanceRequest r)
    {
        var spot = r.GetBool("spotBNBBurn");
        var interest = r.GetBool("interestBNBBurn");
        if (spot is null && interest is null) throw new BinanceException(BinanceError.EitherMandatory("spotBNBBurn", "interestBNBBurn"));
        if (spot is not null) r.SignedAccount.SpotBnbBurn = spot.Value;
        if (interest is not null) r.SignedAccount.InterestBnbBurn = interest.Value;
        return WriteBnbBurn(r);
    }

    private static Task WriteBnbBurn(BinanceRequest r) => SimJson.WriteAsync(r.Context, 200,
        new { spotBNBBurn = r.SignedAccount.SpotBnbBurn, interestBNBBurn = r.SignedAccount.InterestBnbBurn });

    /// <summary>POST /sapi/v1/asset/dust-btc: assets worth under 0.001 BTC that could be swept into BNB, 2% fee.</summary>
    private static Task DustBtc(BinanceRequest r)
    {
        var accountType = r.Get("accountType") ?? "SPOT";
        if (accountType is not ("SPOT" or "MARGIN")) throw new BinanceException(BinanceError.InvalidParameter("accountType"));
        const decimal feeRate = 0.02m;
        var btcUsd = AssetCatalog.UsdPrice("BTC");
        var bnbUsd = AssetCatalog.UsdPrice("BNB");
        var details = accountType == "MARGIN"
            ? []
            : r.SignedAccount.Balances
                .Where(IsDust)
                .Select(b => (b.Asset, b.Free, Usd: b.Free * AssetCatalog.UsdPrice(b.Asset)))
                .Select(b =>
                {
                    var toBtc = Math.Round(b.Usd / btcUsd, 8);
                    var toBnb = Math.Round(b.Usd / bnbUsd, 8);
                    var fee = Math.Round(toBnb * feeRate, 8);
                    return new DustDetail(b.Asset, b.Free, toBtc, toBnb, toBnb - fee, fee);
                })
                .ToList();
        return SimJson.WriteAsync(r.Context, 200, new
        {
            details = details.Select(d => new
            {
                asset = d.Asset,
                assetFullName = d.Asset,
                amountFree = Deterministic.Plain(d.Amount),
                toBTC = BinanceMarkets.F8(d.ToBtc),
                toBNB = BinanceMarkets.F8(d.ToBnb),
                toBNBOffExchange = BinanceMarkets.F8(d.ToBnbAfterFee),
                exchange = BinanceMarkets.F8(d.Fee),
            }),
            totalTransferBtc = BinanceMarkets.F8(details.Sum(d => d.ToBtc)),
            totalTransferBNB = BinanceMarkets.F8(details.Sum(d => d.ToBnb)),
            dribbletPercentage = Deterministic.Plain(feeRate),
        });
    }

    private static bool IsDust(BinanceBalance b) =>
        b.Free > 0m && b.Asset is not ("BNB" or "BTC") && b.Free * AssetCatalog.UsdPrice(b.Asset) / AssetCatalog.UsdPrice("BTC") < 0.001m;

    /// <summary>POST /sapi/v1/asset/dust: converts the listed dust assets to BNB less the 2% fee, all or nothing.
    /// Shape from developers.binance.com wallet/asset/dust-transfer (its misspelt "Transfered" kept).</summary>
    private static Task DustTransfer(BinanceRequest r)
    {
        var assets = r.GetArray("asset");
        if (assets.Count == 0) throw new BinanceException(BinanceError.Mandatory("asset"));
        var accountType = r.Get("accountType") ?? "SPOT";
        if (accountType is not ("SPOT" or "MARGIN")) throw new BinanceException(BinanceError.InvalidParameter("accountType"));
        const decimal feeRate = 0.02m;
        decimal ToBnb(BinanceBalance b) => Math.Round(b.Free * AssetCatalog.UsdPrice(b.Asset) / AssetCatalog.UsdPrice("BNB"), 8);
        var results = accountType == "MARGIN" ? null : r.SignedAccount.ConvertDust(assets, IsDust, b => ToBnb(b) - Math.Round(ToBnb(b) * feeRate, 8));
        if (results is null) throw new BinanceException(BinanceError.InvalidParameter("asset"));
        var now = r.Now.ToUnixTimeMilliseconds();
        return SimJson.WriteAsync(r.Context, 200, new
        {
            totalServiceCharge = BinanceMarkets.F8(results.Sum(x => ToBnb(x.From) - x.ToBnb)),
            totalTransfered = BinanceMarkets.F8(results.Sum(x => x.ToBnb)),
            transferResult = results.Select(x => new
            {
                amount = BinanceMarkets.F8(x.From.Free),
                fromAsset = x.From.Asset,
                operateTime = now,
                serviceChargeAmount = BinanceMarkets.F8(ToBnb(x.From) - x.ToBnb),
                tranId = x.TranId,
                transferedAmount = BinanceMarkets.F8(x.ToBnb),
            }),
        });
    }

    private sealed record DustDetail(string Asset, decimal Amount, decimal ToBtc, decimal ToBnb, decimal ToBnbAfterFee, decimal Fee);

    /// <summary>Binance.US GET /sapi/v1/asset/query/dust-assets?toAsset=: balances worth 0.01–20 USD, convertible
    /// into toAsset (FACTS.md §2; field names third-party, totals partly from memory).</summary>
    private static Task UsDustAssets(BinanceRequest r)
    {
        var toAsset = r.Get("toAsset") ?? throw new BinanceException(BinanceError.Mandatory("toAsset"));
        const decimal feeRate = 0.02m;
        var toUsd = AssetCatalog.UsdPrice(toAsset);
        var items = r.SignedAccount.Balances
            .Where(b => b.Free > 0m && b.Asset != toAsset && b.Asset != "USD")
            .Select(b => (b.Asset, b.Free, Usd: b.Free * AssetCatalog.UsdPrice(b.Asset)))
            .Where(b => b.Usd is >= 0.01m and <= 20m)
            .Select(b =>
            {
                var converted = Math.Round(b.Usd / toUsd, 8);
                var fee = Math.Round(converted * feeRate, 8);
                return (b.Asset, b.Free, Usd: Math.Round(b.Usd, 8), Converted: converted, Fee: fee, Received: converted - fee);
            })
            .ToList();
        return SimJson.WriteAsync(r.Context, 200, new
        {
            convertibleAssets = items.Select(i => new
            {
                fromAsset = i.Asset,
                toAsset,
                availableBalance = Deterministic.Plain(i.Free),
                convertedAsset = BinanceMarkets.F8(i.Converted),
                usdValueConvertedAsset = BinanceMarkets.F8(i.Usd),
                conversionFee = BinanceMarkets.F8(i.Fee),
                receivedAsset = BinanceMarkets.F8(i.Received),
            }),
            totalConvertedAsset = BinanceMarkets.F8(items.Sum(i => i.Converted)),
            usdValueTotalConvertedAsset = BinanceMarkets.F8(items.Sum(i => i.Usd)),
            totalConversionFee = BinanceMarkets.F8(items.Sum(i => i.Fee)),
            totalReceivedAsset = BinanceMarkets.F8(items.Sum(i => i.Received)),
            feeRate = Deterministic.Plain(feeRate),
            withinRestrictedTime = false,
        });
    }
}
