using Bitcain.Bench;
using Bitcain.Testing;

// Measures the suite against the ceilings of this machine, in one run, and prints ratios. Nothing here
// is asserted: timings belong in this table, not in tests.
var options = BenchOptions.Parse(args);
var table = new ResultTable();

// 0. Exchange client: normalizing a full Binance exchangeInfo, beside ccxt on the same payload.
var (parsed, ccxtParsed, ccxtWhy) = await MarketsNormalization.RunAsync(options.ParseIterations);
table.AddRate(parsed, ccxtParsed, "markets/s", ccxtWhy);

if (args.Contains("--only-parsing"))
{
    table.Print();
    return;
}

var infrastructure = await TestInfrastructure.GetAsync();
Console.WriteLine($"bench: PostgreSQL and RabbitMQ up; {Environment.ProcessorCount} cores; {options}");

await using var suite = await SuiteProcesses.StartAsync(infrastructure, options);

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
await using (var ping = await WolverinePing.StartAsync(infrastructure.RabbitMq))
{
    var bareRoundTrip = await ping.RoundTripsAsync(options.RoundTrips);
    table.AddLatency(store, bareRoundTrip);
}

table.AddMemory(suite.MemoryFigures());
table.Print();
await TestInfrastructure.StopAsync();
