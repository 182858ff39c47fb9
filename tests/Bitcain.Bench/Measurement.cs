using HdrHistogram;

namespace Bitcain.Bench;

public sealed record Measurement(string Name, long Requests, long Errors, TimeSpan Elapsed, LongHistogram Latency)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;
    public double P50Ms => Latency.GetValueAtPercentile(50) / (double)TimeSpan.TicksPerMillisecond;
    public double P99Ms => Latency.GetValueAtPercentile(99) / (double)TimeSpan.TicksPerMillisecond;

    public static LongHistogram NewHistogram() => new(TimeSpan.TicksPerMinute, 3);
}
