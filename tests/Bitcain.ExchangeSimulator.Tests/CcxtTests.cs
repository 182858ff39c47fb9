using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>
/// ccxt, the client most exchange tooling is built on, pointed at the simulator's prefixes with nothing but its URLs changed
/// (and, for Coinbase, the token's uri, see ccxt/run-exchange.cjs): it must load markets, read a ticker, the demo account's
/// balances and its trades exactly as the simulator holds them. If it cannot, the simulator is no drop-in sandbox for
/// other clients (issue #14, point 5).
/// </summary>
public sealed class CcxtTests(CcxtFixture fixture) : IClassFixture<CcxtFixture>
{
    /// <summary>One exchange's run. <paramref name="TradeMarkets"/> are asked one by one where ccxt needs a symbol (Binance)
    /// or would otherwise read derivatives (Bybit); <paramref name="Window"/> is the history window before DataEpoch asked for
    /// where the exchange answers only recent days by default; <paramref name="PageSize"/> the exchange's default page,
    /// of which ccxt reads one (the newest trades first).</summary>
    public sealed record CcxtCase(string Exchange, string CcxtId, string TickerSymbol, (string Symbol, string MarketId)[] TradeMarkets,
        TimeSpan? Window, bool SendUntil, int PageSize);

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private static readonly CcxtCase[] Cases =
    [
        new CcxtCase("binance", "binance", "BTC/USDT", [("BTC/USDT", "BTCUSDT"), ("ETH/BTC", "ETHBTC")], null, false, 500),
        new CcxtCase("binanceus", "binanceus", "BTC/USD", [("BTC/USD", "BTCUSD"), ("ETH/USD", "ETHUSD")], null, false, 500),
        new CcxtCase("kraken", "kraken", "BTC/USD", [], null, false, 50),
        new CcxtCase("bybit", "bybit", "BTC/USDT", [("BTC/USDT", "BTCUSDT")], Week, false, 50),
        new CcxtCase("okx", "okx", "BTC/USDT", [], null, false, 100),
        new CcxtCase("kucoin", "kucoin", "BTC/USDT", [], Week, false, 50),
        // Gate.io measures a window from `from` to now unless told `to`, and refuses one over 30 days.
        new CcxtCase("gate_io", "gate", "BTC/USDT", [], Week, true, 100),
        new CcxtCase("bitfinex", "bitfinex", "BTC/USD", [], null, false, 25),
        new CcxtCase("coinbase", "coinbase", "BTC/USD", [], null, false, 100),
    ];

    // By name, so each exchange is its own row in the test explorer and in CI reports.
    public static TheoryData<string> Exchanges => new(Cases.Select(c => c.Exchange));

    [CcxtTheory]
    [MemberData(nameof(Exchanges))]
    public async Task ccxt_loads_markets_and_reads_the_demo_accounts_ticker_balances_and_trades(string exchange)
    {
        var c = Cases.Single(k => k.Exchange == exchange);
        var sim = fixture.Sim;
        var demo = sim.Account(c.Exchange, "demo");
        var epoch = sim.Options.DataEpoch;
        long? since = c.Window is { } w ? epoch.Add(-w).ToUnixTimeMilliseconds() : null;
        var run = await fixture.RunAsync(new JsonObject
        {
            ["ccxtId"] = c.CcxtId,
            ["baseUrl"] = sim.BaseUrl(c.Exchange),
            ["apiKey"] = demo.ApiKey,
            ["secret"] = demo.ApiSecret,
            ["password"] = demo.Passphrase,
            ["tickerSymbol"] = c.TickerSymbol,
            ["tradeSymbols"] = c.TradeMarkets.Length == 0 ? null : new JsonArray(c.TradeMarkets.Select(m => (JsonNode)m.Symbol).ToArray()),
            ["since"] = since,
            ["until"] = c.SendUntil ? epoch.ToUnixTimeMilliseconds() : null,
        });
        run.TryGetProperty("error", out var error).ShouldBeFalse($"ccxt {c.CcxtId} failed: {error}");
        run.GetProperty("httpErrors").EnumerateArray().Select(e => e.GetString()).ShouldBeEmpty("every request ccxt made should be answered");

        run.GetProperty("markets").GetInt32().ShouldBeGreaterThan(0);
        var ticker = run.GetProperty("ticker");
        ticker.GetProperty("symbol").GetString().ShouldBe(c.TickerSymbol);
        ticker.GetProperty("last").GetDouble().ShouldBeGreaterThan(0);

        var held = sim.Holdings(c.Exchange, "demo");
        var read = run.GetProperty("balance").EnumerateObject()
            .ToDictionary(b => b.Name, b => double.Parse(b.Value.GetString()!, CultureInfo.InvariantCulture));
        read.Keys.Order().ShouldBe(held.Balances.Keys.Order(), "ccxt should read every non-zero balance and no other");
        foreach (var (asset, amount) in held.Balances)
            // ccxt hands amounts back as JavaScript numbers: equal to the held decimal within a double's precision.
            read[asset].ShouldBe((double)amount, Math.Abs((double)amount) * 1e-12, asset);

        var expected = ExpectedTrades(c, held, since, epoch.ToUnixTimeMilliseconds());
        expected.ShouldNotBeEmpty("the case should ask for trades the demo account made");
        var ids = run.GetProperty("trades").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        ids.Count.ShouldBe(ids.Distinct().Count(), "ccxt should read each trade once");
        ids.Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));
    }

    /// <summary>The trades the exchange's default answer holds: the asked window (or the whole history), per asked market or
    /// over all, the newest page.</summary>
    private static List<string> ExpectedTrades(CcxtCase c, AccountHoldings held, long? since, long epochMs)
    {
        var inWindow = held.Trades.Where(t => since is null || (t.Time.ToUnixTimeMilliseconds() >= since && t.Time.ToUnixTimeMilliseconds() <= epochMs));
        IEnumerable<HeldTrade> NewestPage(IEnumerable<HeldTrade> trades) => trades.OrderByDescending(t => t.Time).Take(c.PageSize);
        return (c.TradeMarkets.Length == 0
                ? NewestPage(inWindow)
                : c.TradeMarkets.SelectMany(m => NewestPage(inWindow.Where(t => t.Market == m.MarketId))))
            .Select(t => t.Id).ToList();
    }
}

/// <summary>Runs only where node and npm are installed and ccxt is cached or the npm registry answers; otherwise each row is
/// reported as skipped with the reason (xunit 2 has no skipping from inside a test).</summary>
public sealed class CcxtTheoryAttribute : TheoryAttribute
{
    public CcxtTheoryAttribute()
    {
        if (CcxtFixture.Unavailable.Value is { } reason) Skip = reason;
    }
}

/// <summary>One simulator and one ccxt install for the nine runs. ccxt is installed once per machine into
/// <see cref="InstallFolder"/> (a few seconds with the registry in reach) and reused by later runs.</summary>
public sealed class CcxtFixture : IAsyncLifetime
{
    public const string CcxtVersion = "4.5.84";

    public static readonly string InstallFolder = Path.Combine(Path.GetTempPath(), $"bitcain-ccxt-{CcxtVersion}");

    private static string CcxtPackageJson => Path.Combine(InstallFolder, "node_modules", "ccxt", "package.json");

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Why the ccxt tests cannot run here, or null. Asks the registry only when ccxt is not cached yet.</summary>
    public static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (Run("node", ["--version"], TimeSpan.FromSeconds(20)) is not { ExitCode: 0 })
            return "ccxt tests skipped: node is not installed (needed to run ccxt against the simulator)";
        if (IsInstalled()) return null;
        if (Run("npm", ["--version"], TimeSpan.FromSeconds(20)) is not { ExitCode: 0 })
            return "ccxt tests skipped: npm is not installed (needed to install ccxt " + CcxtVersion + ")";
        // One quick try: an unreachable registry should cost seconds, not npm's default minute of retries.
        return Run("npm", ["view", "ccxt@" + CcxtVersion, "version", "--fetch-retries=0", "--fetch-timeout=15000"], TimeSpan.FromSeconds(30)) is { ExitCode: 0 } view
               && view.Output.Trim() == CcxtVersion
            ? null
            : "ccxt tests skipped: the npm registry cannot be reached to install ccxt " + CcxtVersion + " and it is not cached in " + InstallFolder;
    });

    public RunningSimulator Sim { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sim = await SimulatorHost.StartAsync();
        if (Unavailable.Value is null && !IsInstalled()) Install();
    }

    public async Task DisposeAsync() => await Sim.DisposeAsync();

    /// <summary>Runs ccxt/run-exchange.cjs with <paramref name="args"/> and returns the one JSON line it prints.</summary>
    public async Task<JsonElement> RunAsync(JsonObject args)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "ccxt", "run-exchange.cjs");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(args.ToJsonString());
        start.Environment["NODE_PATH"] = Path.Combine(InstallFolder, "node_modules");
        using var node = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(RunTimeout);
        var stdout = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = node.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"ccxt did not finish within {RunTimeout} for {args["ccxtId"]}");
        }
        var output = (await stdout).Trim();
        node.ExitCode.ShouldBe(0, await stderr);
        return JsonDocument.Parse(output.Split('\n')[^1]).RootElement.Clone();
    }

    private static bool IsInstalled() =>
        File.Exists(CcxtPackageJson)
        && JsonDocument.Parse(File.ReadAllText(CcxtPackageJson)).RootElement.GetProperty("version").GetString() == CcxtVersion;

    /// <summary>Installs into a folder of its own and moves it into place whole, so a test run beside this one (or one killed
    /// mid-install) never sees half a node_modules; if another run finished first, its copy is kept.</summary>
    private static void Install()
    {
        var staging = InstallFolder + ".partial-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        try
        {
            // No prompts, no audit or funding chatter, nothing written outside the folder but npm's own cache.
            var install = Run("npm", ["install", "--prefix", staging, "ccxt@" + CcxtVersion, "--no-audit", "--no-fund", "--no-save",
                "--loglevel=error"], TimeSpan.FromMinutes(5));
            (install is { ExitCode: 0 }).ShouldBeTrue($"npm install ccxt@{CcxtVersion} failed: {install?.Output ?? "timed out"}");
            // A folder without a complete ccxt is a leftover from an install made by other means; it is replaced.
            if (Directory.Exists(InstallFolder) && !IsInstalled()) Directory.Delete(InstallFolder, recursive: true);
            try
            {
                Directory.Move(staging, InstallFolder);
            }
            catch (IOException) when (IsInstalled())
            {
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        IsInstalled().ShouldBeTrue($"ccxt {CcxtVersion} is not in {InstallFolder} after installing it");
    }

    private static (int ExitCode, string Output)? Run(string file, string[] args, TimeSpan timeout)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["npm_config_update_notifier"] = "false";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
