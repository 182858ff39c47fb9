using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;

namespace Bitcain.Bench;

public static class Workloads
{
    public static async Task SeedCredentialsAsync(SuiteProcesses suite, string user, int count)
    {
        using var http = Client(suite, user);
        for (var i = 0; i < count; i++)
        {
            // The first commands of fresh services compile their handlers; on a busy machine that can outlast the
            // gateway's wait, and a 504 means queued: asked again, the name is then taken (409).
            for (var attempt = 1; ; attempt++)
            {
                var response = await http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", Body($"seed-{i}"));
                if ((int)response.StatusCode is 201 or 409) break;
                if ((int)response.StatusCode != 504 || attempt == 20)
                    throw new InvalidOperationException($"seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>Sequential store round trips: gateway, broker, service, event append and projection, reply.</summary>
    public static async Task<Measurement> StoreRoundTripsAsync(SuiteProcesses suite, BenchOptions options)
    {
        using var http = Client(suite, "bench-store-" + Guid.NewGuid().ToString("N")[..8]);
        for (var i = 0; i < 20; i++) await http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", Body($"warm-{i}"));

        var histogram = Measurement.NewHistogram();
        long errors = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", Body($"cred-{i}"));
            histogram.RecordValue(Stopwatch.GetElapsedTime(start).Ticks);
            if ((int)response.StatusCode != 201) errors++;
        }
        var m = new Measurement("POST /api/exchange/credentials round trip", options.RoundTrips, errors, clock.Elapsed, histogram);
        Console.WriteLine($"bench: {m.Name}: p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms, {errors} errors");
        return m;
    }

    /// <summary>Closed-loop stores from <see cref="BenchOptions.Concurrency"/> clients, each a credential of its own name.</summary>
    /// <param name="sent">Counts every store sent, warm-up included (for CPU per store).</param>
    public static Task<Measurement> StoreLoadAsync(SuiteProcesses suite, BenchOptions options, StrongBox<long>? sent = null)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        return Load.ClosedLoopAsync($"POST /api/exchange/credentials, {options.Concurrency} clients",
            (http, n) =>
            {
                if (sent is not null) Interlocked.Increment(ref sent.Value);
                return http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", Body($"load-{run}-{n}"));
            },
            suite.TokenFor("bench-load-" + run), options);
    }

    /// <summary>One GET as the user; the body, which must be a success.</summary>
    public static async Task<string> GetAsync(SuiteProcesses suite, string user, string url)
    {
        using var http = Client(suite, user);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) return body;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {body}");
            await Task.Delay(500);
        }
    }

    /// <summary>Store a credential, then read it back by id: the command path and the query path in one user action.</summary>
    public static async Task<Measurement> StoreThenReadRoundTripsAsync(SuiteProcesses suite, BenchOptions options)
    {
        using var http = Client(suite, "bench-store-read-" + Guid.NewGuid().ToString("N")[..8]);
        var histogram = Measurement.NewHistogram();
        long errors = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var stored = await http.PostAsJsonAsync(suite.GatewayUrl + "/api/exchange/credentials", Body($"store-read-{i}"));
            var id = (await stored.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).TryGetProperty("id", out var value) ? value.GetString() : null;
            var read = await http.GetAsync($"{suite.GatewayUrl}/api/exchange/credentials/{id}");
            histogram.RecordValue(Stopwatch.GetElapsedTime(start).Ticks);
            if ((int)stored.StatusCode != 201 || (int)read.StatusCode != 200) errors++;
        }
        var m = new Measurement("POST then GET /api/exchange/credentials/{id}", options.RoundTrips, errors, clock.Elapsed, histogram);
        Console.WriteLine($"bench: {m.Name}: p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms, {errors} errors");
        return m;
    }

    private static HttpClient Client(SuiteProcesses suite, string user)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", suite.TokenFor(user));
        return http;
    }

    public static object Body(string name) => new
    {
        exchange_name = "binance",
        credential_name = name,
        api_key = "benchkey-0123456789",
        api_secret = "benchsecret-0123456789",
        permissions = new[] { "read" },
    };
}
