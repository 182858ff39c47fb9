using System.Diagnostics;
using System.Text.Json;
using Bitcain.Exchanges.Binance;

namespace Bitcain.Bench;

/// <summary>
/// Normalizing a full Binance exchangeInfo (about 2,000 symbols, served by the simulator) into unified
/// markets: Bitcain's parser beside ccxt parsing the same payload in the same run.
/// </summary>
public static class MarketsNormalization
{
    public static async Task<(Measurement Bitcain, Measurement? Ccxt, string? Why)> RunAsync(int iterations)
    {
        var payload = await PayloadAsync();
        // Warm for a while, not a few calls: on a busy machine the optimizing JIT runs late, and a short warm-up
        // measures unoptimized code.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            BinanceParsers.Markets(payload, 0.001m, 0.001m);
            for (var reader = new Utf8JsonReader(payload); reader.Read();) { }
        }
        clock.Restart();
        long markets = 0;
        for (var i = 0; i < iterations; i++) markets += BinanceParsers.Markets(payload, 0.001m, 0.001m).Count;
        var bitcain = Rate("Bitcain BinanceParsers.Markets (response bytes)", markets, clock.Elapsed);

        // What only reading every token costs, building nothing: the floor of any parser of this payload in .NET.
        clock.Restart();
        long tokens = 0;
        for (var i = 0; i < iterations; i++)
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read()) tokens++;
        }
        Console.WriteLine($"bench: Utf8JsonReader over the same payload, every token read, nothing built: {markets / clock.Elapsed.TotalSeconds:0} markets/s equivalent ({tokens / iterations} tokens)");

        var (ccxt, why) = await RunCcxtAsync(payload, iterations);
        return (bitcain, ccxt, why);
    }

    /// <summary>The simulator's full Binance exchangeInfo, as the bytes the exchange client receives.</summary>
    public static async Task<byte[]> PayloadAsync()
    {
        await using var simulator = await Bitcain.ExchangeSimulator.SimulatorHost.StartAsync();
        using var http = new HttpClient();
        var payload = await http.GetByteArrayAsync(simulator.BaseUrl("binance") + "/api/v3/exchangeInfo");
        var symbols = JsonDocument.Parse(payload).RootElement.GetProperty("symbols").GetArrayLength();
        Console.WriteLine($"bench: exchangeInfo with {symbols} symbols, {payload.Length / 1024} KiB");
        return payload;
    }

    public static async Task<(Measurement?, string?)> RunCcxtAsync(byte[] payload, int iterations)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "ccxt");
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "ccxt")))
                await RunAsync("npm", ["install", "--silent", "--no-audit", "--no-fund"], folder);
            var file = Path.GetTempFileName();
            await File.WriteAllBytesAsync(file, payload);
            var output = await RunAsync("node", ["parse-markets.js", file, iterations.ToString()], folder);
            File.Delete(file);
            using var result = JsonDocument.Parse(output);
            return (Rate("ccxt 4.5.84 binance.parseMarket (node)", result.RootElement.GetProperty("markets").GetInt64(),
                TimeSpan.FromSeconds(result.RootElement.GetProperty("seconds").GetDouble())), null);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
        {
            return (null, "ccxt baseline unavailable: " + e.Message);
        }
    }

    public static Measurement Rate(string name, long markets, TimeSpan elapsed)
    {
        var m = new Measurement(name, markets, 0, elapsed, Measurement.NewHistogram());
        Console.WriteLine($"bench: {name}: {m.PerSecond:0} markets/s");
        return m;
    }

    private static async Task<string> RunAsync(string file, string[] arguments, string folder)
    {
        var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited {process.ExitCode}: {error.Trim()}");
        return output;
    }
}
