namespace Bitcain.Bench;

/// <summary>Each Bitcain figure beside its baseline from the same run, with the ratio.</summary>
public sealed class ResultTable
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _memory = [];
    private readonly List<string> _startup = [];

    public void AddThroughput(Measurement bitcain, Measurement baseline)
    {
        _rows.Add([bitcain.Name, $"{bitcain.PerSecond:0} req/s", $"p50 {bitcain.P50Ms:0.00} / p99 {bitcain.P99Ms:0.00} ms",
            baseline.Name, $"{baseline.PerSecond:0} req/s", $"p50 {baseline.P50Ms:0.00} / p99 {baseline.P99Ms:0.00} ms",
            $"{bitcain.PerSecond / baseline.PerSecond:0.00}x throughput"]);
    }

    public void AddLatency(Measurement bitcain, Measurement baseline)
    {
        _rows.Add([bitcain.Name, $"{bitcain.PerSecond:0} /s sequential", $"p50 {bitcain.P50Ms:0.00} / p99 {bitcain.P99Ms:0.00} ms",
            baseline.Name, $"{baseline.PerSecond:0} /s sequential", $"p50 {baseline.P50Ms:0.00} / p99 {baseline.P99Ms:0.00} ms",
            $"{bitcain.P50Ms / baseline.P50Ms:0.00}x p50, {bitcain.P99Ms / baseline.P99Ms:0.00}x p99 latency"]);
    }

    public void AddRate(Measurement bitcain, Measurement? baseline, string unit, string? why)
    {
        _rows.Add([bitcain.Name, $"{bitcain.PerSecond:0} {unit}", "",
            baseline?.Name ?? why ?? "", baseline is null ? "" : $"{baseline.PerSecond:0} {unit}", "",
            baseline is null ? "" : $"{bitcain.PerSecond / baseline.PerSecond:0.00}x throughput"]);
    }

    /// <summary>A figure with no baseline of its own (a pure function has no framework to compare against).</summary>
    public void AddNote(Measurement m)
    {
        _rows.Add([m.Name, $"{m.PerSecond:0} /s single thread", $"p50 {m.P50Ms * 1000:0.0} / p99 {m.P99Ms * 1000:0.0} µs", "-", "-", "-", "-"]);
    }

    /// <summary>A rate measured once (not a load loop), beside the same work done by a baseline.</summary>
    public void AddRate(string name, double perSecond, string detail, string baselineName, double baselinePerSecond, string baselineDetail, string unit)
    {
        _rows.Add([name, $"{perSecond:0} {unit}/s", detail, baselineName, $"{baselinePerSecond:0} {unit}/s", baselineDetail,
            $"{perSecond / baselinePerSecond:0.000}x rate"]);
    }

    public void AddMemory(IEnumerable<(string Name, long WorkingSetBytes)> figures)
    {
        foreach (var (name, bytes) in figures) _memory.Add($"{name}: {bytes / (1024 * 1024)} MiB working set");
    }

    /// <summary>Start-up to healthy: from the process's start to its first successful <c>/health</c>.</summary>
    public void AddStartup(IEnumerable<(string Name, TimeSpan Startup)> figures)
    {
        foreach (var (name, startup) in figures) _startup.Add($"{name}: {startup.TotalSeconds:0.0} s");
    }

    public void Print()
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
        if (_startup.Count > 0) Console.WriteLine("Start-up to healthy: " + string.Join("; ", _startup));
    }
}
