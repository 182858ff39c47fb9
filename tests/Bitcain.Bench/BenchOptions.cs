namespace Bitcain.Bench;

public sealed record BenchOptions(int Concurrency, TimeSpan Duration, TimeSpan Warmup, int RoundTrips, int ParseIterations)
{
    /// <summary><c>--benchmark markets</c>: run that BenchmarkDotNet suite instead of the loads.</summary>
    public string? Benchmark { get; init; }

    /// <summary><c>--results path</c>: where bench-results.json goes (default: the working directory).</summary>
    public string? ResultsPath { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchOptions(
            int.Parse(Value("--concurrency") ?? "16"),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds") ?? "10", System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("--warmup") ?? "3", System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Value("--round-trips") ?? "300"),
            int.Parse(Value("--parse-iterations") ?? "20"))
        {
            Benchmark = Value("--benchmark"),
            ResultsPath = Value("--results"),
        };
    }

    public override string ToString() =>
        $"{Concurrency} concurrent clients, {Duration.TotalSeconds:0} s per load after {Warmup.TotalSeconds:0} s warm-up, {RoundTrips} sequential round trips";
}
