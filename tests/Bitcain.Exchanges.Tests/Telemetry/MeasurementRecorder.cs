using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bitcain.Exchanges.Tests.Telemetry;

/// <summary>One measurement of a Bitcain instrument, its tags as strings.</summary>
public sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public bool Has(string tag, string value) => Tags.TryGetValue(tag, out var v) && v == value;
}

/// <summary>
/// Listens to the meters whose names start with <paramref name="meterPrefix"/> while it lives. Other tests running at
/// the same time record into the same static meters, so tests select by tags and assert what their own calls must add.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<Measurement> measurements = new();

    public MeasurementRecorder(string meterPrefix = "Bitcain.")
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name.StartsWith(meterPrefix, StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();
    }

    public IReadOnlyList<Measurement> Of(string instrument, params (string Tag, string Value)[] tags) =>
        measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Has(t.Tag, t.Value))).ToList();

    public double Sum(string instrument, params (string Tag, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    public IReadOnlyList<Measurement> All => measurements.ToList();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (k, v) in tags) copy[k] = v?.ToString();
        measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
    }

    public void Dispose() => listener.Dispose();
}
