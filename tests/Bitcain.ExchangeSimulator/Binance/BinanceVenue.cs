namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>What differs between binance.com and Binance.US. Both speak the same /api/v3 protocol and signature;
/// Binance.US lacks the BNB-burn and apiRestrictions SAPI endpoints and has its own dust API
/// (shared/exchanges/FACTS.md §2, from ccxt's binanceus endpoint map).</summary>
internal sealed class BinanceVenue
{
    public required string Name { get; init; }
    public required BinanceMarkets Markets { get; init; }
    public required bool HasBnbBurn { get; init; }
    public required bool HasApiRestrictions { get; init; }
    public required bool HasBinanceDust { get; init; }
    public required bool HasBinanceUsDust { get; init; }
    public required IReadOnlyList<BinanceAccount> Accounts { get; init; }

    public static BinanceVenue Binance(SimulatorOptions options)
    {
        var markets = BinanceMarkets.Binance.Value;
        var epoch = options.DataEpoch;
        return new BinanceVenue
        {
            Name = "binance",
            Markets = markets,
            HasBnbBurn = true,
            HasApiRestrictions = true,
            HasBinanceDust = true,
            HasBinanceUsDust = false,
            Accounts =
            [
                new BinanceAccount(
                    new SimulatedAccount("binance", "demo", SeededKeys.BinanceDemoKey, SeededKeys.BinanceDemoSecret, null, [Permission.Read, Permission.Trade]),
                    uid: 354937868,
                    Balances(markets, ("BTC", 0.51234567m, 0.01m), ("ETH", 4.2m, 0m), ("USDT", 12500.5m, 250m), ("BNB", 3.75m, 0m),
                        ("SOL", 25.5m, 0m), ("ADA", 6.21m, 0m), ("XLM", 3.2m, 0m), ("SHIB", 152340m, 0m), ("DOGE", 0m, 0m), ("LTC", 0m, 0m)),
                    Series(markets, "binance/demo", epoch, 30, ("BTCUSDT", 120), ("ETHUSDT", 90), ("BNBUSDT", 40), ("ETHBTC", 60), ("SOLUSDT", 50)),
                    new BinanceWalletHistory("binance/demo")
                        .Deposit("USDT", 20_000m, epoch.AddDays(-40)).Deposit("BTC", 0.5m, epoch.AddDays(-38)).Deposit("ETH", 2m, epoch.AddDays(-33))
                        .Withdraw("SOL", 4.5m, 0.01m, epoch.AddDays(-5))
                        .DustConversion(epoch.AddDays(-12), "BNB", ("DOGE", 12.4m), ("LTC", 0.0021m))),
                new BinanceAccount(
                    new SimulatedAccount("binance", "readonly", SeededKeys.BinanceReadOnlyKey, SeededKeys.BinanceReadOnlySecret, null, [Permission.Read]),
                    uid: 354937869,
                    Balances(markets, ("BTC", 0.05m, 0m), ("USDT", 800m, 0m), ("ETH", 0m, 0m)),
                    Series(markets, "binance/readonly", epoch, 30, ("BTCUSDT", 25), ("ETHUSDT", 15)),
                    new BinanceWalletHistory("binance/readonly").Deposit("USDT", 3_000m, epoch.AddDays(-31))),
                new BinanceAccount(
                    new SimulatedAccount("binance", "load", SeededKeys.BinanceLoadKey, SeededKeys.BinanceLoadSecret, null, [Permission.Read, Permission.Trade]),
                    uid: 354937870,
                    Balances(markets, ("BTC", 12.5m, 0m), ("ETH", 140m, 0m), ("USDT", 1_250_000m, 0m), ("BNB", 310m, 0m), ("SOL", 900m, 0m),
                        ("DOGE", 250_000m, 0m), ("XRP", 40_000m, 0m)),
                    Split(markets, "binance/load", epoch, 365, options.LoadAccountTrades,
                        ("BTCUSDT", 0.3), ("ETHUSDT", 0.25), ("SOLUSDT", 0.15), ("BNBBTC", 0.1), ("DOGEUSDT", 0.1), ("XRPUSDT", 0.1)),
                    Periodic(new BinanceWalletHistory("binance/load").Deposit("BTC", 10m, epoch.AddDays(-370)), epoch, 370, 45,
                        (h, at) => h.Deposit("USDT", 150_000m, at))),
                // Sold all its RVN: neither RVN nor anything else says RVNUSDT was ever traded, but USDT is held.
                new BinanceAccount(
                    new SimulatedAccount("binance", "sold-out", SeededKeys.BinanceSoldOutKey, SeededKeys.BinanceSoldOutSecret, null, [Permission.Read]),
                    uid: 354937871,
                    Held(("USDT", 8_421.37m, 0m), ("BTC", 0.0731m, 0m)),
                    Series(markets, "binance/sold-out", epoch, 90, ("RVNUSDT", 1_499), ("BTCUSDT", 64)),
                    new BinanceWalletHistory("binance/sold-out").Deposit("USDT", 25_000m, epoch.AddDays(-95))),
                // Trades on 200 markets; the quotes it spent are known only from its deposits.
                new BinanceAccount(
                    new SimulatedAccount("binance", "wide", SeededKeys.BinanceWideKey, SeededKeys.BinanceWideSecret, null, [Permission.Read]),
                    uid: 354937872,
                    Held(("BTC", 0.8m, 0m), ("ETH", 6m, 0m), ("BNB", 12m, 0m), ("SOL", 40m, 0m), ("DOGE", 9_000m, 0m)),
                    Series(markets, "binance/wide", epoch, 120, WideMarkets(markets)),
                    WideHistory(markets, epoch)),
                // Gains a pair at run time (POST /__sim/accounts/binance/late-pair/trades), as when a user starts trading XRP.
                new BinanceAccount(
                    new SimulatedAccount("binance", "late-pair", SeededKeys.BinanceLatePairKey, SeededKeys.BinanceLatePairSecret, null, [Permission.Read]),
                    uid: 354937873,
                    Held(("BTC", 0.12m, 0m), ("USDT", 2_500m, 0m)),
                    Series(markets, "binance/late-pair", epoch, 30, ("BTCUSDT", 40), ("ETHUSDT", 12)),
                    new BinanceWalletHistory("binance/late-pair").Deposit("USDT", 10_000m, epoch.AddDays(-32))),
            ],
        };
    }

    public static BinanceVenue BinanceUs(SimulatorOptions options)
    {
        var markets = BinanceMarkets.BinanceUs.Value;
        var epoch = options.DataEpoch;
        return new BinanceVenue
        {
            Name = "binanceus",
            Markets = markets,
            HasBnbBurn = false,
            HasApiRestrictions = false,
            HasBinanceDust = false,
            HasBinanceUsDust = true,
            Accounts =
            [
                new BinanceAccount(
                    new SimulatedAccount("binanceus", "demo", SeededKeys.BinanceUsDemoKey, SeededKeys.BinanceUsDemoSecret, null, [Permission.Read, Permission.Trade]),
                    uid: 71234501,
                    Balances(markets, ("USD", 5000m, 120m), ("BTC", 0.25m, 0m), ("ETH", 2m, 0m), ("USDT", 1000m, 0m), ("SOL", 10m, 0m),
                        ("ADA", 4.1m, 0m), ("DOGE", 7.5m, 0m), ("XLM", 5m, 0m), ("LTC", 0m, 0m)),
                    Series(markets, "binanceus/demo", epoch, 30, ("BTCUSD", 100), ("ETHUSD", 80), ("SOLUSD", 40), ("BTCUSDT", 40), ("ADAUSD", 30)),
                    new BinanceWalletHistory("binanceus/demo")
                        .FiatDeposit("USD", 25_000m, epoch.AddDays(-40)).Deposit("USDT", 1_500m, epoch.AddDays(-35))
                        .FiatWithdraw("USD", 2_000m, 0m, epoch.AddDays(-3))
                        .DustConversion(epoch.AddDays(-10), "BTC", ("LTC", 0.0412m))),
                new BinanceAccount(
                    new SimulatedAccount("binanceus", "readonly", SeededKeys.BinanceUsReadOnlyKey, SeededKeys.BinanceUsReadOnlySecret, null, [Permission.Read]),
                    uid: 71234502,
                    Balances(markets, ("USD", 250m, 0m), ("BTC", 0.01m, 0m)),
                    Series(markets, "binanceus/readonly", epoch, 30, ("BTCUSD", 20)),
                    new BinanceWalletHistory("binanceus/readonly").FiatDeposit("USD", 1_000m, epoch.AddDays(-31))),
                new BinanceAccount(
                    new SimulatedAccount("binanceus", "load", SeededKeys.BinanceUsLoadKey, SeededKeys.BinanceUsLoadSecret, null, [Permission.Read, Permission.Trade]),
                    uid: 71234503,
                    Balances(markets, ("USD", 400_000m, 0m), ("BTC", 4m, 0m), ("ETH", 60m, 0m), ("SOL", 300m, 0m)),
                    Split(markets, "binanceus/load", epoch, 365, options.LoadAccountTrades,
                        ("BTCUSD", 0.35), ("ETHUSD", 0.3), ("SOLUSD", 0.15), ("BTCUSDT", 0.1), ("ADAUSD", 0.1)),
                    Periodic(new BinanceWalletHistory("binanceus/load").Deposit("USDT", 50_000m, epoch.AddDays(-368)), epoch, 370, 45,
                        (h, at) => h.FiatDeposit("USD", 100_000m, at))),
                // Spent its USD to zero (not even listed) buying what it then sold: USD is known only from the fiat history,
                // SOL only from a withdrawal, SUSHI only from the dust it left.
                new BinanceAccount(
                    new SimulatedAccount("binanceus", "spent-quote", SeededKeys.BinanceUsSpentQuoteKey, SeededKeys.BinanceUsSpentQuoteSecret, null, [Permission.Read]),
                    uid: 71234504,
                    Held(("BTC", 0.4187m, 0m), ("1INCH", 15_230.5m, 0m)),
                    Series(markets, "binanceus/spent-quote", epoch, 180, ("BTCUSD", 1_050), ("1INCHUSD", 750), ("SOLUSD", 600), ("SUSHIUSD", 600)),
                    new BinanceWalletHistory("binanceus/spent-quote")
                        .FiatDeposit("USD", 250_000m, epoch.AddDays(-185))
                        .Withdraw("SOL", 120m, 0.01m, epoch.AddDays(-20))
                        .DustConversion(epoch.AddDays(-2), "BTC", ("SUSHI", 0.42m))),
            ],
        };
    }

    /// <summary>Only the assets held, as an account that never touched others (or had them swept) lists them.</summary>
    private static IReadOnlyList<BinanceBalance> Held(params (string Asset, decimal Free, decimal Locked)[] held) =>
        held.Select(h => new BinanceBalance(h.Asset, h.Free, h.Locked)).ToList();

    private static BinanceWalletHistory Periodic(BinanceWalletHistory history, DateTimeOffset epoch, int days, int everyDays,
        Func<BinanceWalletHistory, DateTimeOffset, BinanceWalletHistory> add)
    {
        for (var d = days - 5; d > 0; d -= everyDays) history = add(history, epoch.AddDays(-d));
        return history;
    }

    /// <summary>Exactly 200 trading markets, 3 to 5 trades each, picked across the quotes so most are neither held
    /// side: the first 200 trading symbols whose quote is one of six, in listing order.</summary>
    internal static (string Symbol, int Count)[] WideMarkets(BinanceMarkets markets) =>
        markets.Symbols
            .Where(s => s.Trading && s.QuoteAsset is "USDT" or "BTC" or "ETH" or "BNB" or "FDUSD" or "USDC")
            .Take(200)
            .Select(s => (s.Symbol, 3 + (int)(Deterministic.Hash("binance/wide/count/" + s.Symbol) % 3)))
            .ToArray();

    private static BinanceWalletHistory WideHistory(BinanceMarkets markets, DateTimeOffset epoch)
    {
        var history = new BinanceWalletHistory("binance/wide");
        var quotes = WideMarkets(markets).Select(m => markets.BySymbol[m.Symbol].QuoteAsset).Distinct().Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < quotes.Count; i++)
            history = history.Deposit(quotes[i], 100_000m / AssetCatalog.UsdPrice(quotes[i]), epoch.AddDays(-125 + i));
        return history;
    }

    /// <summary>Real accounts list every asset they ever touched, most at zero: held assets first, then zeros.</summary>
    private static IReadOnlyList<BinanceBalance> Balances(BinanceMarkets markets, params (string Asset, decimal Free, decimal Locked)[] held)
    {
        var list = held.Select(h => new BinanceBalance(h.Asset, h.Free, h.Locked)).ToList();
        var seen = new HashSet<string>(list.Select(b => b.Asset), StringComparer.Ordinal);
        foreach (var asset in markets.Symbols.Select(s => s.BaseAsset).Distinct().Take(60))
            if (seen.Add(asset)) list.Add(new BinanceBalance(asset, 0m, 0m));
        return list;
    }

    private static IReadOnlyList<BinanceTradeSeries> Series(BinanceMarkets markets, string seed, DateTimeOffset epoch, int days,
        params (string Symbol, int Count)[] series) =>
        series.Select(s => new BinanceTradeSeries(seed, markets.BySymbol[s.Symbol], s.Count, epoch.AddDays(-days), epoch)).ToList();

    private static IReadOnlyList<BinanceTradeSeries> Split(BinanceMarkets markets, string seed, DateTimeOffset epoch, int days, int total,
        params (string Symbol, double Share)[] shares) =>
        Series(markets, seed, epoch, days, shares.Select(s => (s.Symbol, (int)Math.Ceiling(total * s.Share))).ToArray());
}

internal sealed record BinanceBalance(string Asset, decimal Free, decimal Locked);

/// <summary>A seeded account: its key, balances, trade history and the little state it can change (BNB burn).</summary>
internal sealed class BinanceAccount(SimulatedAccount key, long uid, IReadOnlyList<BinanceBalance> balances, IReadOnlyList<BinanceTradeSeries> trades,
    BinanceWalletHistory history)
{
    public SimulatedAccount Key { get; } = key;
    public long Uid { get; } = uid;
    public BinanceWalletHistory History { get; } = history;
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<BinanceBalance> _seedBalances = balances;
    private IReadOnlyList<BinanceBalance> _balances = balances;
    private long _dustConversions;
    private readonly IReadOnlyDictionary<string, BinanceTradeSeries> _seedTrades = trades.ToDictionary(t => t.Symbol.Symbol, StringComparer.Ordinal);
    private IReadOnlyDictionary<string, BinanceTradeSeries>? _trades;

    /// <summary>Current balances; only a dust conversion changes them, and <see cref="ResetState"/> restores the seed.</summary>
    public IReadOnlyList<BinanceBalance> Balances => Volatile.Read(ref _balances);

    private const long DayMs = 86_400_000;

    /// <summary>The seed history plus any trades added at run time (<see cref="AddTrades"/>) until the next reset.</summary>
    public IReadOnlyDictionary<string, BinanceTradeSeries> Trades => Volatile.Read(ref _trades) ?? _seedTrades;

    /// <summary>Appends <paramref name="count"/> trades on <paramref name="symbol"/>, after every trade the account has and
    /// no later than <paramref name="now"/>, so a sync that already ran sees them as new.</summary>
    public BinanceTradeSeries AddTrades(BinanceSymbol symbol, int count, DateTimeOffset now)
    {
        lock (_lock)
        {
            var current = Trades;
            var after = current.Values.Select(t => t.LastTime).DefaultIfEmpty(long.MinValue).Max();
            var nowMs = now.ToUnixTimeMilliseconds();
            // The later half of the gap to now, so a further addition still finds room after these.
            var fromMs = after == long.MinValue ? nowMs - DayMs : after + Math.Max(1, (nowMs - after) / 2);
            if (nowMs - fromMs < count) fromMs = Math.Max(after + 1, nowMs - count);
            var series = current.TryGetValue(symbol.Symbol, out var existing)
                ? existing
                : new BinanceTradeSeries(Key.Exchange + "/" + Key.Name, symbol, 0, DateTimeOffset.FromUnixTimeMilliseconds(fromMs), DateTimeOffset.FromUnixTimeMilliseconds(fromMs));
            var extended = series.Append(count, fromMs, nowMs);
            _trades = new Dictionary<string, BinanceTradeSeries>(current, StringComparer.Ordinal) { [symbol.Symbol] = extended };
            return extended;
        }
    }
    public long CreateTime { get; } = 1698645219000;

    private volatile bool _spotBnbBurn = true;
    private volatile bool _interestBnbBurn;

    public bool SpotBnbBurn { get => _spotBnbBurn; set => _spotBnbBurn = value; }
    public bool InterestBnbBurn { get => _interestBnbBurn; set => _interestBnbBurn = value; }

    public void ResetState()
    {
        _spotBnbBurn = true;
        _interestBnbBurn = false;
        lock (_lock)
        {
            _balances = _seedBalances;
            _dustConversions = 0;
            _trades = null;
        }
    }

    /// <summary>Sweeps the named assets' free balances into BNB at once: all or nothing, as the exchange does.</summary>
    public IReadOnlyList<(BinanceBalance From, decimal ToBnb, long TranId)>? ConvertDust(
        IReadOnlyCollection<string> assets, Func<BinanceBalance, bool> isDust, Func<BinanceBalance, decimal> toBnbAfterFee)
    {
        lock (_lock)
        {
            var chosen = _balances.Where(b => assets.Contains(b.Asset)).ToList();
            if (chosen.Count != assets.Count || !chosen.All(isDust)) return null;
            _dustConversions++;
            var results = chosen.Select((b, i) => (b, toBnbAfterFee(b), 45_000_000_000L + _dustConversions * 100 + i)).ToList();
            var gained = results.Sum(r => r.Item2);
            var updated = _balances.Select(b => assets.Contains(b.Asset) ? b with { Free = 0m } : b).ToList();
            var bnb = updated.FindIndex(b => b.Asset == "BNB");
            if (bnb >= 0) updated[bnb] = updated[bnb] with { Free = updated[bnb].Free + gained };
            else updated.Add(new BinanceBalance("BNB", gained, 0m));
            _balances = updated;
            return results;
        }
    }
}
