using System.Diagnostics;
using Bitcain.Exchanges;
using Bitcain.Market.Routing;
using ExchangeMarket = Bitcain.Exchanges.Market;

namespace Bitcain.Bench;

/// <summary>Route finding over a synthetic market set of realistic shape: three exchanges, 7,500 markets each (a tenth inactive).</summary>
public static class RouteBench
{
    private static readonly string[] Quotes = ["USDT", "USDC", "USD", "BTC", "ETH", "EUR", "BNB", "TRY", "FDUSD", "BRL"];

    public static Measurement Run(int marketsPerExchange = 7500, int requests = 20000)
    {
        var random = new Random(42);
        var assets = Enumerable.Range(0, marketsPerExchange / 4).Select(i => $"A{i:D4}").Concat(Quotes).ToArray();
        var exchanges = new[] { "binance", "binanceus", "kraken" }.Select(id =>
        {
            var markets = new List<ExchangeMarket>();
            var seen = new HashSet<(string, string)>();
            while (markets.Count < marketsPerExchange)
            {
                var b = assets[random.Next(assets.Length)];
                var q = Quotes[random.Next(Quotes.Length)];
                if (b == q || !seen.Add((b, q)) || seen.Contains((q, b))) continue;
                markets.Add(new ExchangeMarket($"{b}/{q}", b + q, b, q, random.Next(10) > 0, new MarketPrecision(0.0001m, 0.01m),
                    new MarketLimits(new MinMax(0.001m, null), new MinMax(5m, null), MinMax.None), 0.001m, 0.001m));
            }
            return new ExchangeMarkets(id, markets, 0.001m);
        }).ToList();

        var clock = Stopwatch.StartNew();
        var index = RouteIndex.Build(exchanges);
        var build = clock.Elapsed;
        var prices = exchanges.SelectMany(e => e.Markets.Select(m => ((e.Exchange, m.Symbol), 1m + random.Next(1000)))).ToDictionary(p => p.Item1, p => p.Item2);
        var connected = new HashSet<string> { "kraken" };
        var pairs = Enumerable.Range(0, requests).Select(_ => (assets[random.Next(assets.Length)], Quotes[random.Next(6)])).ToArray();

        for (var i = 0; i < 2000; i++) RouteFinder.Find(index, pairs[i].Item1, pairs[i].Item2, 1m, null, prices, connected);
        var histogram = Measurement.NewHistogram();
        long routes = 0;
        clock.Restart();
        foreach (var (b, q) in pairs)
        {
            var start = Stopwatch.GetTimestamp();
            routes += RouteFinder.Find(index, b, q, 1m, 100m, prices, connected).Count;
            histogram.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(start).Ticks));
        }
        var m = new Measurement($"route finding, {exchanges.Sum(e => e.Markets.Count):N0} markets ({index.MarketCount:N0} active)", requests, 0, clock.Elapsed, histogram);
        Console.WriteLine($"bench: {m.Name}: index built in {build.TotalMilliseconds:0} ms; p50 {m.P50Ms * 1000:0.0} µs, p99 {m.P99Ms * 1000:0.0} µs per request, {routes / (double)requests:0.0} routes per answer");
        return m;
    }
}
