using System.Net.Http.Json;
using Bitcain.Testing;

namespace Bitcain.Bench;

/// <summary>
/// The command and query loads with one and with two instances of every service (gateways included, requests spread
/// over the gateways), each set started fresh against the same PostgreSQL and RabbitMQ.
/// </summary>
public static class ScaleOut
{
    public static async Task RunAsync(TestInfrastructure infrastructure, BenchOptions options, ResultTable table)
    {
        var runs = new Dictionary<int, (Measurement Queries, Measurement Commands)>();
        foreach (var instances in new[] { 1, 2 })
        {
            await using var suite = await SuiteProcesses.StartAsync(infrastructure, options, instances: instances);
            var user = $"bench-scale-{instances}-{Guid.NewGuid():N}"[..28];
            await Workloads.SeedCredentialsAsync(suite, user, count: 20);
            var gateways = suite.GatewayUrls;

            var queries = await Load.ClosedLoopAsync($"GET /api/exchange/credentials, {instances} instance(s) of each service",
                (http, n) => http.GetAsync(gateways[(int)(n % gateways.Count)] + "/api/exchange/credentials"), suite.TokenFor(user), options);
            var commands = await Load.ClosedLoopAsync($"POST /api/exchange/credentials, {instances} instance(s) of each service",
                (http, n) => http.PostAsJsonAsync(gateways[(int)(n % gateways.Count)] + "/api/exchange/credentials", Workloads.Body($"scale-{n}")),
                suite.TokenFor(user), options);
            runs[instances] = (queries, commands);
            if (instances == 2)
                table.AddMemory(suite.MemoryFigures().Select(m => ($"{m.Name} (2 instances)", m.WorkingSetBytes)));
        }
        table.AddThroughput(runs[2].Queries, runs[1].Queries);
        table.AddThroughput(runs[2].Commands, runs[1].Commands);
    }
}
