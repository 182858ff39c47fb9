using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bitcain.Bench;

/// <summary>
/// Each Bitcain figure beside its baseline from the same run, with the ratio: printed as a table, and written as
/// <c>bench-results.json</c> so a script reads the same figures without parsing the table.
/// </summary>
public sealed class ResultTable
{
    private readonly List<string[]> _rows = [];
    private readonly List<BenchResult> _results = [];
    private readonly List<string> _memory = [];
    private readonly List<MemoryFigure> _memoryFigures = [];
    private readonly List<StartupFigure> _startupFigures = [];
    private readonly MachineFigures _machine = MachineFigures.Now();

    public void AddThroughput(Measurement bitcain, Measurement baseline)
    {
        _rows.Add([bitcain.Name, $"{bitcain.PerSecond:0} req/s", $"p50 {bitcain.P50Ms:0.00} / p99 {bitcain.P99Ms:0.00} ms",
            baseline.Name, $"{baseline.PerSecond:0} req/s", $"p50 {baseline.P50Ms:0.00} / p99 {baseline.P99Ms:0.00} ms",
            $"{bitcain.PerSecond / baseline.PerSecond:0.00}x throughput"]);
        _results.Add(new BenchResult(bitcain.Name, bitcain.PerSecond, "req/s", LatencyDetail(bitcain),
            new BenchBaseline(baseline.Name, baseline.PerSecond, "req/s", LatencyDetail(baseline)),
            bitcain.PerSecond / baseline.PerSecond, RatioKind.Throughput));
    }

    public void AddLatency(Measurement bitcain, Measurement baseline)
    {
        _rows.Add([bitcain.Name, $"{bitcain.PerSecond:0} /s sequential", $"p50 {bitcain.P50Ms:0.00} / p99 {bitcain.P99Ms:0.00} ms",
            baseline.Name, $"{baseline.PerSecond:0} /s sequential", $"p50 {baseline.P50Ms:0.00} / p99 {baseline.P99Ms:0.00} ms",
            $"{bitcain.P50Ms / baseline.P50Ms:0.00}x p50, {bitcain.P99Ms / baseline.P99Ms:0.00}x p99 latency"]);
        _results.Add(new BenchResult(bitcain.Name, bitcain.P50Ms, "ms p50", $"p99 {Ms(bitcain.P99Ms)} ms, {bitcain.PerSecond:0}/s sequential",
            new BenchBaseline(baseline.Name, baseline.P50Ms, "ms p50", $"p99 {Ms(baseline.P99Ms)} ms, {baseline.PerSecond:0}/s sequential"),
            bitcain.P50Ms / baseline.P50Ms, RatioKind.P50Latency));
    }

    public void AddRate(Measurement bitcain, Measurement? baseline, string unit, string? why)
    {
        _rows.Add([bitcain.Name, $"{bitcain.PerSecond:0} {unit}", "",
            baseline?.Name ?? why ?? "", baseline is null ? "" : $"{baseline.PerSecond:0} {unit}", "",
            baseline is null ? "" : $"{bitcain.PerSecond / baseline.PerSecond:0.00}x throughput"]);
        _results.Add(new BenchResult(bitcain.Name, bitcain.PerSecond, unit, baseline is null ? why : null,
            baseline is null ? null : new BenchBaseline(baseline.Name, baseline.PerSecond, unit, null),
            baseline is null ? null : bitcain.PerSecond / baseline.PerSecond, baseline is null ? null : RatioKind.Throughput));
    }

    /// <summary>A figure with no baseline of its own (a pure function has no framework to compare against).</summary>
    public void AddNote(Measurement m)
    {
        _rows.Add([m.Name, $"{m.PerSecond:0} /s single thread", $"p50 {m.P50Ms * 1000:0.0} / p99 {m.P99Ms * 1000:0.0} µs", "-", "-", "-", "-"]);
        _results.Add(new BenchResult(m.Name, m.PerSecond, "/s single thread", $"p50 {m.P50Ms * 1000:0.0} µs, p99 {m.P99Ms * 1000:0.0} µs", null, null, null));
    }

    /// <summary>A rate measured once (not a load loop), beside the same work done by a baseline.</summary>
    public void AddRate(string name, double perSecond, string detail, string baselineName, double baselinePerSecond, string baselineDetail, string unit)
    {
        _rows.Add([name, $"{perSecond:0} {unit}/s", detail, baselineName, $"{baselinePerSecond:0} {unit}/s", baselineDetail,
            $"{perSecond / baselinePerSecond:0.000}x rate"]);
        _results.Add(new BenchResult(name, perSecond, unit + "/s", detail, new BenchBaseline(baselineName, baselinePerSecond, unit + "/s", baselineDetail),
            perSecond / baselinePerSecond, RatioKind.Rate));
    }

    /// <summary>
    /// The goal the last row's ratio is held to: at least <paramref name="ratio"/> for throughputs and rates, at most
    /// for latencies. Printed beside the ratio and written as <c>goal</c> and <c>met</c>.
    /// </summary>
    public ResultTable WithGoal(double ratio, string? why = null)
    {
        var last = _results[^1];
        if (last.Ratio is not { } measured || last.RatioKind is not { } kind) return this;
        var met = kind == RatioKind.P50Latency ? measured <= ratio : measured >= ratio;
        _results[^1] = last with { Goal = new BenchGoal(ratio, kind == RatioKind.P50Latency ? "at most" : "at least", why), Met = met };
        _rows[^1][^1] += $" (goal {(kind == RatioKind.P50Latency ? "<=" : ">=")} {ratio:0.##}x: {(met ? "met" : "missed")})";
        return this;
    }

    /// <summary>Another ratio of the last row's figure to a second baseline (e.g. the store beside the bare ping too).</summary>
    public ResultTable AlsoAgainst(Measurement baseline)
    {
        var last = _results[^1];
        if (last.RatioKind == RatioKind.P50Latency)
        {
            _results[^1] = last with { AlsoAgainst = [.. last.AlsoAgainst ?? [], new BenchComparison(new BenchBaseline(baseline.Name, baseline.P50Ms, "ms p50",
                $"p99 {Ms(baseline.P99Ms)} ms"), last.Value / baseline.P50Ms, RatioKind.P50Latency)] };
            _rows[^1][^1] += $"; {last.Value / baseline.P50Ms:0.0}x p50 of {baseline.Name}";
        }
        else
        {
            _results[^1] = last with { AlsoAgainst = [.. last.AlsoAgainst ?? [], new BenchComparison(new BenchBaseline(baseline.Name, baseline.PerSecond, last.Unit,
                LatencyDetail(baseline)), last.Value / baseline.PerSecond, RatioKind.Throughput)] };
            _rows[^1][^1] += $"; {last.Value / baseline.PerSecond:0.00}x of {baseline.Name}";
        }
        return this;
    }

    /// <summary>A figure measured alone, with nothing to compare it to (a component's share of a larger figure).</summary>
    public void AddFigure(string name, double value, string unit, string? detail = null)
    {
        _rows.Add([name, $"{value:0.000} {unit}", detail ?? "", "-", "-", "-", "-"]);
        _results.Add(new BenchResult(name, value, unit, detail, null, null, null));
    }

    public void AddMemory(IEnumerable<(string Name, long WorkingSetBytes)> figures)
    {
        foreach (var (name, bytes) in figures)
        {
            _memory.Add($"{name}: {bytes / (1024 * 1024)} MiB working set");
            _memoryFigures.Add(new MemoryFigure(name, bytes / (1024.0 * 1024.0), "MiB working set"));
        }
    }

    public void AddStartup(IEnumerable<(string Name, TimeSpan ToHealthy)> figures)
    {
        foreach (var (name, elapsed) in figures) _startupFigures.Add(new StartupFigure(name, elapsed.TotalSeconds, "s to healthy"));
    }

    public void Print(string? resultsPath = null)
    {
        string[] header = ["Bitcain", "rate", "latency", "baseline (same run)", "rate", "latency", "ratio"];
        var all = _rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        Console.WriteLine();
        foreach (var (row, index) in all.Select((r, i) => (r, i)))
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))) + " |");
            if (index == 0) Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        }
        Console.WriteLine();
        Console.WriteLine("Memory after the loads: " + string.Join("; ", _memory));
        if (_startupFigures.Count > 0)
            Console.WriteLine("Start to healthy: " + string.Join("; ", _startupFigures.Select(s => $"{s.Name} {s.Value:0.0} s")));

        var path = Path.GetFullPath(resultsPath ?? Environment.GetEnvironmentVariable("BENCH_RESULTS") ?? "bench-results.json");
        File.WriteAllText(path, ToJson());
        Console.WriteLine($"bench: every figure, its baseline and the ratio written to {path}");
    }

    public string ToJson() => JsonSerializer.Serialize(
        new BenchReport(_machine, _results, _memoryFigures, _startupFigures), JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static string LatencyDetail(Measurement m) => $"p50 {Ms(m.P50Ms)} ms, p99 {Ms(m.P99Ms)} ms, {m.Requests} requests, {m.Errors} errors";

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);
}

public enum RatioKind { Throughput, P50Latency, Rate }

public sealed record BenchBaseline(string Name, double Value, string Unit, string? Detail);

public sealed record BenchGoal(double Ratio, string Bound, string? Why);

public sealed record BenchComparison(BenchBaseline Baseline, double Ratio, RatioKind RatioKind);

public sealed record BenchResult(string Name, double Value, string Unit, string? Detail, BenchBaseline? Baseline, double? Ratio, RatioKind? RatioKind)
{
    public BenchGoal? Goal { get; init; }
    public bool? Met { get; init; }
    public IReadOnlyList<BenchComparison>? AlsoAgainst { get; init; }
}

public sealed record MemoryFigure(string Name, double Value, string Unit);

public sealed record StartupFigure(string Name, double Value, string Unit);

public sealed record MachineFigures(int Cores, double[] LoadAverageAtStart, DateTimeOffset StartedUtc, string Os, string Runtime)
{
    public static MachineFigures Now()
    {
        double[] load = [];
        try
        {
            load = File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new MachineFigures(Environment.ProcessorCount, load, DateTimeOffset.UtcNow,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }
}

public sealed record BenchReport(MachineFigures Machine, IReadOnlyList<BenchResult> Results, IReadOnlyList<MemoryFigure> Memory, IReadOnlyList<StartupFigure> Startup);
