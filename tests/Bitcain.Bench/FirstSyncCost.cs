using System.Diagnostics;
using System.Globalization;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges;
using Bitcain.Exchanges.Paging;
using Bitcain.Exchanges.RateLimits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bitcain.Bench;

/// <summary>
/// What a first symbol-less trade sync costs where the exchange answers per market (Binance, Binance.US), for accounts
/// whose history names 5, 50 and 500 assets: the calls and request weight of the account-history read and of the market
/// walk, measured against the simulator, and what that weight takes at the exchange's real per-minute budget.
/// Two accounts of each size: one whose assets are those traded on the most markets (USDT, BTC, ...: the costliest) and
/// one whose assets are those traded on the fewest (the cheapest); a real account lies between.
/// </summary>
public static class FirstSyncCost
{
    private const int MyTradesWeight = 20;
    private const int AccountWeight = 20;

    public static async Task RunAsync()
    {
        var options = new SimulatorOptions();
        options.Binance.RequestWeightPerMinute = 100_000_000;
        options.Binance.SapiIpWeightPerMinute = 100_000_000;
        await using var sim = await SimulatorHost.StartAsync(options);
        var settings = new Dictionary<string, string?>();
        foreach (var venue in new[] { "binance", "binanceus" })
        {
            settings[$"Exchanges:{venue}:BaseUrl"] = sim.BaseUrl(venue);
            settings[$"Exchanges:{venue}:RateLimit"] = "100000000";
        }
        await using var services = new ServiceCollection().AddLogging()
            .AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        var clients = services.GetRequiredService<IExchangeClients>();

        Console.WriteLine("first symbol-less trade sync, per-market venues (simulator; weight at the real budget):");
        Console.WriteLine("| venue | assets named | reach | markets listed | markets walked | calls (history + myTrades) | weight | time here | time at the real budget |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var venue in new[] { "binance", "binanceus" })
        {
            var client = clients.Get(venue);
            var markets = await client.GetMarketsAsync();
            var demo = sim.Account(venue, "demo");
            var keys = new ExchangeApiCredentials(demo.ApiKey, demo.ApiSecret, demo.Passphrase);
            ExchangeCatalog.TryResolve(venue, out var descriptor);

            sim.Requests.Reset();
            var clock = Stopwatch.StartNew();
            await ((IAccountActivity)client).GetAccountActivityAsync(keys, descriptor.TradingSince);
            var historyTime = clock.Elapsed;
            var historyCalls = sim.Requests.Snapshot().Sum(c => c.Count);
            var historyWeight = AccountWeight + (historyCalls - 1); // /api/v3/account, then /sapi reads of weight 1
            var budget = RateBudgets.Of(venue)[0].Limit;

            var byReach = markets.SelectMany(m => new[] { m.Base, m.Quote }).GroupBy(a => a, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
            foreach (var (size, reach) in new[] { 5, 50, 500 }.SelectMany(n => new[] { (n, "most"), (n, "fewest") }))
            {
                var named = (reach == "most" ? byReach : Enumerable.Reverse(byReach)).Take(size).ToHashSet(StringComparer.Ordinal);
                var plan = TradeCandidates.Initial(markets, new AccountActivity(named, true, []), []);
                sim.Requests.Reset();
                clock.Restart();
                foreach (var symbol in plan.Markets)
                    await foreach (var _ in client.GetMyTradesAsync(keys, new MyTradesQuery(symbol, PageSize: 1000))) { }
                var walkTime = clock.Elapsed + historyTime;
                var walkCalls = sim.Requests.Count(venue, "/api/v3/myTrades");
                var weight = historyWeight + walkCalls * MyTradesWeight;
                var minutes = (double)weight / budget;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {venue} | {named.Count} | {reach} | {markets.Count} | {plan.Markets.Count} | {historyCalls} + {walkCalls} | {weight:N0} | {walkTime.TotalSeconds:F1} s | {minutes:F1} min at {budget}/min |"));
            }
        }
    }
}
