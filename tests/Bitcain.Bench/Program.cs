using Bitcain.Bench;
using Bitcain.Testing;

// Measures the suite against the ceilings of this machine, in one run, and prints ratios. Nothing here
// is asserted: timings belong in this table, not in tests.
var options = BenchOptions.Parse(args);

// --first-sync-cost: what a first symbol-less Binance/Binance.US trade sync costs for accounts of 5, 50 and 500 assets.
if (args.Contains("--first-sync-cost"))
{
    await FirstSyncCost.RunAsync();
    return;
}
// --only-crypto: what a store pays in cryptography alone (sealing, opening, the vault, the bus assertions).
if (args.Contains("--only-crypto"))
{
    CommandCrypto.Measure();
    return;
}

// --benchmark markets: BenchmarkDotNet over the same exchangeInfo payload (byte path, string path), then the ccxt figure.
if (options.Benchmark is "markets")
{
    await MarketsBenchmark.RunAsync(args);
    return;
}
var table = new ResultTable();

// 0. Exchange client: normalizing a full Binance exchangeInfo, beside ccxt on the same payload.
var (parsed, ccxtParsed, ccxtWhy) = await MarketsNormalization.RunAsync(options.ParseIterations);
table.AddRate(parsed, ccxtParsed, "markets/s", ccxtWhy);
if (ccxtParsed is not null) table.WithGoal(3, "issue #17: parsing at native speed");

if (args.Contains("--only-parsing"))
{
    table.Print(options.ResultsPath);
    return;
}

var infrastructure = await TestInfrastructure.GetAsync();
Console.WriteLine($"bench: PostgreSQL and RabbitMQ up; {Environment.ProcessorCount} cores; {options}");

// --scale-out: the command and query loads with one, then two, instances of every service, side by side.
if (args.Contains("--scale-out"))
{
    var scaled = new ResultTable();
    await ScaleOut.RunAsync(infrastructure, options, scaled);
    scaled.Print(options.ResultsPath);
    await TestInfrastructure.StopAsync();
    return;
}

// The exchanges are the simulator's, so market data never leaves this machine; its load account is sized for
// the trade-ingest figure.
await using var sim = await Bitcain.ExchangeSimulator.SimulatorHost.StartAsync(
    new Bitcain.ExchangeSimulator.SimulatorOptions { LoadAccountTrades = TradeIngest.LoadTrades });
await using var suite = await SuiteProcesses.StartAsync(infrastructure, options,
    new[] { "binance", "binanceus", "kraken" }.ToDictionary(e => $"Exchanges__{e}__BaseUrl", sim.BaseUrl));

// --trades-at-scale: trade reads over 10,000,000 stored trades (1,000,000 one user's) beside their bare SQL. Seeding the
// rows by COPY and the VACUUM take a few minutes on two cores; the reads then take about a minute.
if (args.Contains("--trades-at-scale"))
{
    var scale = new ResultTable();
    await TradesAtScale.RunAsync(suite, infrastructure.Postgres, scale, options.RoundTrips / 10);
    scale.Print(options.ResultsPath);
    await TestInfrastructure.StopAsync();
    return;
}

// --trade-ingest: only the trade sync of the load account beside COPY (about a minute after the build).
if (args.Contains("--trade-ingest"))
{
    var only = new ResultTable();
    await AddTradeIngestAsync(only, suite, sim, infrastructure.Postgres);
    only.AddMemory(suite.MemoryFigures());
    only.Print(options.ResultsPath);
    await TestInfrastructure.StopAsync();
    return;
}

var user = "bench-user";
await Workloads.SeedCredentialsAsync(suite, user, count: 20);

// --read-path: the query and cached-ticker loads through the suite's gateway (HTTP read path, ticker hold), a gateway
// that asks on the bus with no ticker hold (the read path before), and one over HTTP with no ticker hold, beside their
// bare ceilings, back to back in one run; then memory and start-up. The credentials read is also asked of the credentials
// service alone (the bench signs as the gateway), typed and written, to split the service's cost from the gateway's.
// --only-credentials: the credentials loads alone. --cpu: instead, CPU ms per request per process for the credentials read.
if (args.Contains("--read-path") && args.Contains("--cpu"))
{
    await using (var bare = await BareKestrel.StartAsync(infrastructure.Postgres))
        await ReadPathCpu.RunAsync(suite, infrastructure.Postgres, bare.Url, user, options);
    await TestInfrastructure.StopAsync();
    return;
}
if (args.Contains("--read-path"))
{
    var noHold = new Dictionary<string, string> { ["Gateway__TickerHoldSeconds"] = "0" };
    var busGateway = await suite.StartExtraGatewayAsync("Gateway-bus", discovery: false, noHold);
    var httpNoHold = await suite.StartExtraGatewayAsync("Gateway-http-no-hold", discovery: true, noHold);
    var readPath = new ResultTable();
    await using (var bare = await BareKestrel.StartAsync(infrastructure.Postgres))
        await ReadPathLoads.AddAsync(readPath, suite, bare.Url, busGateway, user, options);
    if (args.Contains("--only-credentials"))
    {
        readPath.Print(options.ResultsPath);
        await TestInfrastructure.StopAsync();
        return;
    }
    var tickerPath = "/api/exchange/ticker?exchange=binance&symbol=BTC/USDT";
    await using (var bareTicker = await BareTicker.StartAsync(await Workloads.GetAsync(suite, user, suite.GatewayUrl + tickerPath)))
    {
        var ceiling = await Load.ClosedLoopAsync("bare Kestrel + in-memory ticker", bareTicker.Url + "/ticker?exchange=binance&symbol=BTC/USDT", null, options);
        var held = await Load.ClosedLoopAsync("GET /api/exchange/ticker (gateway, HTTP, 1 s ticker hold)", suite.GatewayUrl + tickerPath, suite.TokenFor(user), options);
        var http = await Load.ClosedLoopAsync("GET /api/exchange/ticker (gateway, HTTP, no hold)", httpNoHold + tickerPath, suite.TokenFor(user), options);
        var bus = await Load.ClosedLoopAsync("GET /api/exchange/ticker (gateway, bus query, no hold)", busGateway + tickerPath, suite.TokenFor(user), options);
        readPath.AddThroughput(held, ceiling);
        readPath.AddThroughput(http, ceiling);
        readPath.AddThroughput(bus, ceiling);
    }
    readPath.AddMemory(suite.MemoryFigures());
    readPath.AddStartup(suite.StartupFigures());
    readPath.Print(options.ResultsPath);
    await TestInfrastructure.StopAsync();
    return;
}

// --only-commands: the command figures; --only-store-load: only the 16-client store and floor loads with their CPU per
// command per process (quick, for profiling: the pids are printed as each load starts).
if (args.Contains("--only-commands") || args.Contains("--only-store-load"))
{
    await CommandsAsync(loadsOnly: args.Contains("--only-store-load"));
    table.AddMemory(suite.MemoryFigures());
    table.AddStartup(suite.StartupFigures());
    table.Print(options.ResultsPath);
    await TestInfrastructure.StopAsync();
    return;
}

// 1. Query path: GET /api/exchange/credentials through the gateway, beside the ceiling of one Npgsql
//    query behind a bare Kestrel endpoint on the same database (which is also what a gateway reading
//    projections directly, through a read-only role, would cost at best).
await using (var bare = await BareKestrel.StartAsync(infrastructure.Postgres))
{
    var gateway = await Load.ClosedLoopAsync("GET /api/exchange/credentials (gateway)", suite.GatewayUrl + "/api/exchange/credentials", suite.TokenFor(user), options);
    var ceiling = await Load.ClosedLoopAsync("bare Kestrel + 1 Npgsql query", bare.Url + "/credentials?user=" + user, null, options);
    table.AddThroughput(gateway, ceiling);
    table.WithGoal(0.5, "issue #17: the read path at half the bare ceiling");
}

// 2. Command path: POST /api/exchange/credentials round trip, beside the durable floor of a command (inbox, one
//    event with an inline projection, outbox reply, no Bitcain code) and a bare Wolverine request/reply ping over
//    the same broker; then 16 clients storing at once beside the floor's 16 clients.
await CommandsAsync();

// 3. Market data: GET /api/exchange/ticker answered from the market service's ticker cache through the gateway,
//    beside a bare Kestrel endpoint serving the same ticker from a dictionary.
var tickerUrl = suite.GatewayUrl + "/api/exchange/ticker?exchange=binance&symbol=BTC/USDT";
var tickerJson = await Workloads.GetAsync(suite, user, tickerUrl);
await using (var bareTicker = await BareTicker.StartAsync(tickerJson))
{
    var gateway = await Load.ClosedLoopAsync("GET /api/exchange/ticker (gateway, cached)", tickerUrl, suite.TokenFor(user), options);
    var ceiling = await Load.ClosedLoopAsync("bare Kestrel + in-memory ticker", bareTicker.Url + "/ticker?exchange=binance&symbol=BTC/USDT", null, options);
    table.AddThroughput(gateway, ceiling);
    table.WithGoal(0.3, "issue #17: cached market data at 0.3x the bare in-memory ticker");
}
Console.WriteLine($"bench: simulator ticker requests during the ticker load: {sim.Requests.Count("binance", "/api/v3/ticker/24hr")}");

// 4. Route finding, a pure function over a market set of more than 20,000 markets.
table.AddNote(RouteBench.Run());

// 5. Trade ingest: a whole trade sync of the 100k-trade account, beside a binary COPY of the same rows.
await AddTradeIngestAsync(table, suite, sim, infrastructure.Postgres);

table.AddMemory(suite.MemoryFigures());
table.AddStartup(suite.StartupFigures());
table.Print(options.ResultsPath);
await TestInfrastructure.StopAsync();

async Task CommandsAsync(bool loadsOnly = false)
{
    var store = loadsOnly ? null : await Workloads.StoreRoundTripsAsync(suite, options);
    var storeThenRead = loadsOnly ? null : await Workloads.StoreThenReadRoundTripsAsync(suite, options);
    var storesSent = new System.Runtime.CompilerServices.StrongBox<long>();
    var (storeLoad, storeCpu, storeCpuMs) = await CpuPerCommand.AroundAsync(suite.Pids(), () => Workloads.StoreLoadAsync(suite, options, storesSent),
        () => Interlocked.Read(ref storesSent.Value), infrastructure.Postgres);
    Measurement bareRoundTrip, floorRoundTrip, floorLoad;
    string floorCpu;
    double floorCpuMs;
    await using (var ping = await WolverinePing.StartAsync(infrastructure.RabbitMq))
        bareRoundTrip = await ping.RoundTripsAsync(loadsOnly ? 20 : options.RoundTrips);
    await using (var floor = await CommandFloor.StartAsync(infrastructure.RabbitMq, infrastructure.Postgres))
    {
        floorRoundTrip = await floor.RoundTripsAsync(loadsOnly ? 20 : options.RoundTrips);
        (floorLoad, floorCpu, floorCpuMs) = await CpuPerCommand.AroundAsync(suite.Pids(), () => floor.ClosedLoopAsync(options), () => floor.Sent, infrastructure.Postgres);
    }
    if (store is not null && storeThenRead is not null)
    {
        table.AddLatency(store, floorRoundTrip);
        table.WithGoal(1.5, "issue #17: a store within 1.5x of the durable floor").AlsoAgainst(bareRoundTrip);
        table.AddLatency(storeThenRead, bareRoundTrip);
    }
    table.AddThroughput(storeLoad, floorLoad);
    table.WithGoal(0.5, "issue #17: 16 clients storing reach half the floor's throughput");
    table.AddLatency(floorRoundTrip, bareRoundTrip);
    table.AddFigure($"CPU per store, {options.Concurrency} clients (every process of the run)", storeCpuMs, "ms", storeCpu);
    table.AddFigure($"CPU per floor command, {options.Concurrency} clients (the floor runs in the bench process)", floorCpuMs, "ms", floorCpu);
    if (loadsOnly) return;

    var crypto = CommandCrypto.Measure();
    table.AddFigure("store: sealing key and secret at the gateway (ECDH P-256 + AES-GCM, 2 fields, one ephemeral key)", crypto.SealMs, "ms",
        $"one thread, in process; {crypto.SealPerFieldMs:0.000} ms with an ephemeral key per field, {crypto.SealImportingMs:0.000} ms also importing the pinned key per box");
    table.AddFigure("store: opening them in the credentials service", crypto.OpenMs, "ms", $"one thread, in process; {crypto.OpenPerFieldMs:0.000} ms one by one");
    table.AddFigure("store: fresh data key wrapped by the master key, fields encrypted", crypto.VaultMs, "ms", "one thread, in process");
    table.AddFigure("any message: ES256 bus assertion signed and verified", crypto.AssertionMs, "ms", "one thread, in process; a store carries 3");
}

static async Task AddTradeIngestAsync(ResultTable table, SuiteProcesses suite, Bitcain.ExchangeSimulator.RunningSimulator sim, string postgres)
{
    var ingest = await TradeIngest.ByMarketAsync(suite, sim, postgres);
    table.AddRate("trade syncs of the load account's 6 markets (gateway, broker, exchange pages, DB)", ingest.SyncPerSecond,
        $"{ingest.Trades} trades in {ingest.Sync.TotalSeconds:0.0} s, {ingest.Calls} exchange calls", "COPY of the same rows into PostgreSQL", ingest.CopyPerSecond,
        $"{ingest.Copy.TotalSeconds:0.00} s", "trades");
    table.WithGoal(0.5, "issue #17: ingest at half the rows per second of a binary COPY");
    table.AddRate("the same trade syncs", ingest.SyncPerSecond, $"{ingest.Sync.TotalSeconds:0.0} s",
        "COPY of the same rows into a twin with the trade table's key and index", ingest.Trades / ingest.KeyedCopy.TotalSeconds,
        $"{ingest.KeyedCopy.TotalSeconds:0.00} s", "trades");
    foreach (var (role, seconds) in ingest.Cpu)
        table.AddFigure($"trade syncs: CPU of {role} per exchange page", seconds * 1000 / Math.Max(1, ingest.Calls), "ms",
            $"{seconds:0.00} s over {ingest.Calls} pages, /proc utime+stime");
    // BENCH_INGEST_BY_MARKET_ONLY=1: the syncs by market alone, without the minutes the symbol-less sync spends on Binance's weight.
    if (Environment.GetEnvironmentVariable("BENCH_INGEST_BY_MARKET_ONLY") == "1") return;
    var whole = await TradeIngest.WholeAccountAsync(suite, sim);
    table.AddRate("symbol-less trade sync of the load account (every market its assets trade in)", whole.SyncPerSecond,
        $"{whole.Trades} trades in {whole.Sync.TotalSeconds:0.0} s, {whole.Calls} exchange calls", "COPY above", ingest.CopyPerSecond,
        $"{ingest.Copy.TotalSeconds:0.00} s", "trades");
}
