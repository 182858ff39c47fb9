using System.Diagnostics;
using System.Net.Http.Headers;

namespace Bitcain.Bench;

/// <summary>A closed-loop load: N clients each sending the next request as soon as the last one answered.</summary>
public static class Load
{
    public static Task<Measurement> ClosedLoopAsync(string name, string url, string? token, BenchOptions options) =>
        ClosedLoopAsync(name, (http, _) => http.GetAsync(url), token, options);

    /// <param name="send">The request number <c>n</c> of the load (unique per load: commands use it for unique names).</param>
    public static async Task<Measurement> ClosedLoopAsync(string name, Func<HttpClient, long, Task<HttpResponseMessage>> send, string? token, BenchOptions options)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 });
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        long sequence = 0;
        Task<HttpResponseMessage> Next() => send(http, Interlocked.Increment(ref sequence));
        await RunAsync(Next, options.Concurrency, options.Warmup, Measurement.NewHistogram());
        var histogram = Measurement.NewHistogram();
        var (requests, errors, elapsed) = await RunAsync(Next, options.Concurrency, options.Duration, histogram);
        var m = new Measurement(name, requests, errors, elapsed, histogram);
        Console.WriteLine($"bench: {name}: {m.PerSecond:0} req/s, p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms, {errors} errors");
        return m;
    }

    private static async Task<(long, long, TimeSpan)> RunAsync(Func<Task<HttpResponseMessage>> send, int clients, TimeSpan duration, HdrHistogram.LongHistogram histogram)
    {
        long requests = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await send();
                await response.Content.ReadAsByteArrayAsync();
                var ticks = Stopwatch.GetElapsedTime(start).Ticks;
                lock (histogram) histogram.RecordValue(ticks);
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        });
        await Task.WhenAll(workers);
        return (requests, errors, clock.Elapsed);
    }
}
