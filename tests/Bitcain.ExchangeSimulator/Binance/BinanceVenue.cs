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
                    Series(markets, "binance/demo", epoch, 30, ("BTCUSDT", 120), ("ETHUSDT", 90), ("BNBUSDT", 40), ("ETHBTC", 60), ("SOLUSDT", 50))),
                new BinanceAccount(
                    new SimulatedAccount("binance", "readonly", SeededKeys.BinanceReadOnlyKey, SeededKeys.BinanceReadOnlySecret, null, [Permission.Read]),
                    uid: 354937869,
                    Balances(markets, ("BTC", 0.05m, 0m), ("USDT", 800m, 0m), ("ETH", 0m, 0m)),
                    Series(markets, "binance/readonly", epoch, 30, ("BTCUSDT", 25), ("ETHUSDT", 15))),
                new BinanceAccount(
                    new SimulatedAccount("binance", "load", SeededKeys.BinanceLoadKey, SeededKeys.BinanceLoadSecret, null, [Permission.Read, Permission.Trade]),
                    uid: 354937870,
                    Balances(markets, ("BTC", 12.5m, 0m), ("ETH", 140m, 0m), ("USDT", 1_250_000m, 0m), ("BNB", 310m, 0m), ("SOL", 900m, 0m),
                        ("DOGE", 250_000m, 0m), ("XRP", 40_000m, 0m)),
                    Split(markets, "binance/load", epoch, 365, options.LoadAccountTrades,
                        ("BTCUSDT", 0.3), ("ETHUSDT", 0.25), ("SOLUSDT", 0.15), ("BNBBTC", 0.1), ("DOGEUSDT", 0.1), ("XRPUSDT", 0.1))),
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
                    Series(markets, "binanceus/demo", epoch, 30, ("BTCUSD", 100), ("ETHUSD", 80), ("SOLUSD", 40), ("BTCUSDT", 40), ("ADAUSD", 30))),
                new BinanceAccount(
                    new SimulatedAccount("binanceus", "readonly", SeededKeys.BinanceUsReadOnlyKey, SeededKeys.BinanceUsReadOnlySecret, null, [Permission.Read]),
                    uid: 71234502,
                    Balances(markets, ("USD", 250m, 0m), ("BTC", 0.01m, 0m)),
                    Series(markets, "binanceus/readonly", epoch, 30, ("BTCUSD", 20))),
                new BinanceAccount(
                    new SimulatedAccount("binanceus", "load", SeededKeys.BinanceUsLoadKey, SeededKeys.BinanceUsLoadSecret, null, [Permission.Read, Permission.Trade]),
                    uid: 71234503,
                    Balances(markets, ("USD", 400_000m, 0m), ("BTC", 4m, 0m), ("ETH", 60m, 0m), ("SOL", 300m, 0m)),
                    Split(markets, "binanceus/load", epoch, 365, options.LoadAccountTrades,
                        ("BTCUSD", 0.35), ("ETHUSD", 0.3), ("SOLUSD", 0.15), ("BTCUSDT", 0.1), ("ADAUSD", 0.1))),
            ],
        };
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
internal sealed class BinanceAccount(SimulatedAccount key, long uid, IReadOnlyList<BinanceBalance> balances, IReadOnlyList<BinanceTradeSeries> trades)
{
    public SimulatedAccount Key { get; } = key;
    public long Uid { get; } = uid;
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<BinanceBalance> _seedBalances = balances;
    private IReadOnlyList<BinanceBalance> _balances = balances;
    private long _dustConversions;

    /// <summary>Current balances; only a dust conversion changes them, and <see cref="ResetState"/> restores the seed.</summary>
    public IReadOnlyList<BinanceBalance> Balances => Volatile.Read(ref _balances);
    public IReadOnlyDictionary<string, BinanceTradeSeries> Trades { get; } = trades.ToDictionary(t => t.Symbol.Symbol, StringComparer.Ordinal);
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
