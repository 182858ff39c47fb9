namespace Bitcain.Bench;

public sealed record BenchOptions(int Concurrency, TimeSpan Duration, TimeSpan Warmup, int RoundTrips, int ParseIterations)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchOptions(
            int.Parse(Value("--concurrency") ?? "16"),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds") ?? "10", System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("--warmup") ?? "3", System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Value("--round-trips") ?? "300"),
            int.Parse(Value("--parse-iterations") ?? "20"));
    }

    public override string ToString() =>
        $"{Concurrency} concurrent clients, {Duration.TotalSeconds:0} s per load after {Warmup.TotalSeconds:0} s warm-up, {RoundTrips} sequential round trips";
}
