using Bitcain.Bench;
using Bitcain.Testing;

// Measures the suite against the ceilings of this machine, in one run, and prints ratios. Nothing here
// is asserted: timings belong in this table, not in tests.
var options = BenchOptions.Parse(args);
var infrastructure = await TestInfrastructure.GetAsync();
Console.WriteLine($"bench: PostgreSQL and RabbitMQ up; {Environment.ProcessorCount} cores; {options}");

// The exchange simulator, for the trade-ingest figure: the Sync process is pointed at it.
await using var simulator = await Bitcain.ExchangeSimulator.SimulatorHost.StartAsync(
    new Bitcain.ExchangeSimulator.SimulatorOptions { LoadAccountTrades = TradeIngest.LoadTrades });
var exchangeUrls = new[] { "binance", "binanceus", "kraken" }.ToDictionary(e => $"Exchanges__{e}__BaseUrl", simulator.BaseUrl);
await using var suite = await SuiteProcesses.StartAsync(infrastructure, options, exchangeUrls);
var table = new ResultTable();

var user = "bench-user";
await Workloads.SeedCredentialsAsync(suite, user, count: 20);

// 1. Query path: GET /api/exchange/credentials through the gateway, beside the ceiling of one Npgsql
//    query behind a bare Kestrel endpoint on the same database (which is also what a gateway reading
//    projections directly, through a read-only role, would cost at best).
await using (var bare = await BareKestrel.StartAsync(infrastructure.Postgres))
{
    var gateway = await Load.ClosedLoopAsync("GET /api/exchange/credentials (gateway)", suite.GatewayUrl + "/api/exchange/credentials", suite.TokenFor(user), options);
    var ceiling = await Load.ClosedLoopAsync("bare Kestrel + 1 Npgsql query", bare.Url + "/credentials?user=" + user, null, options);
    table.AddThroughput(gateway, ceiling);
}

// 2. Command path: POST /api/exchange/credentials round trip, beside a bare Wolverine request/reply
//    ping over the same broker.
var store = await Workloads.StoreRoundTripsAsync(suite, options);
var storeThenRead = await Workloads.StoreThenReadRoundTripsAsync(suite, options);
await using (var ping = await WolverinePing.StartAsync(infrastructure.RabbitMq))
{
    var bareRoundTrip = await ping.RoundTripsAsync(options.RoundTrips);
    table.AddLatency(store, bareRoundTrip);
    table.AddLatency(storeThenRead, bareRoundTrip);
}

// 3. Trade ingest: a whole trade sync of the 100k-trade account, beside a binary COPY of the same rows.
var ingest = await TradeIngest.RunAsync(suite, simulator, infrastructure.Postgres);
table.AddRate("trade sync of the load account (gateway, broker, exchange pages, DB)", ingest.SyncPerSecond,
    $"{ingest.Trades} trades in {ingest.Sync.TotalSeconds:0.0} s", "COPY of the same rows into PostgreSQL", ingest.CopyPerSecond,
    $"{ingest.Copy.TotalSeconds:0.00} s", "trades");

table.AddMemory(suite.MemoryFigures());
table.Print();
await TestInfrastructure.StopAsync();
