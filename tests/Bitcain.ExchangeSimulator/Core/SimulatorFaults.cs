using System.Collections.Concurrent;

namespace Bitcain.ExchangeSimulator;

public enum FaultKind
{
    /// <summary>Delay the answer by <see cref="Fault.Latency"/>, then answer normally.</summary>
    Latency,
    /// <summary>The exchange's own "slow down" answer (Binance 429 + Retry-After + -1003; Kraken EAPI:Rate limit exceeded).</summary>
    RateLimited,
    /// <summary>An HTTP 5xx (default 500, or <see cref="Fault.StatusCode"/>).</summary>
    ServerError,
    /// <summary>The exchange is in maintenance: status endpoints say so, every other endpoint refuses.</summary>
    Maintenance,
    /// <summary>The normal answer, cut in half: a 200 whose JSON does not parse.</summary>
    MalformedJson,
    /// <summary>The TCP connection is aborted before the exchange sees the request: nothing happened.</summary>
    DropConnection,
    /// <summary>The exchange carries the request out, then the connection is aborted before the answer: the
    /// change happened but the client cannot know (the case that makes retries of writes dangerous).</summary>
    DropResponse,
    /// <summary>Answers <see cref="Fault.Body"/> verbatim (status <see cref="Fault.StatusCode"/>, default 200): a body of
    /// the wrong shape, an odd error, whatever a real exchange has been seen to send.</summary>
    Body,
}

/// <summary>A fault to inject. Unset filters match everything: a fault with only <see cref="Exchange"/> hits every
/// request to that exchange. <see cref="Path"/> is the exchange's real path (<c>/api/v3/account</c>), exact, or a
/// prefix when it ends with <c>*</c>.</summary>
public sealed record Fault(FaultKind Kind)
{
    public string? Exchange { get; init; }
    public string? ApiKey { get; init; }
    public string? Path { get; init; }
    public TimeSpan Latency { get; init; }
    public int? StatusCode { get; init; }
    public int RetryAfterSeconds { get; init; } = 30;

    /// <summary>How many requests the fault hits before it removes itself; null keeps it until cleared.</summary>
    public int? Times { get; init; }

    /// <summary>How many matching requests pass untouched before the fault starts hitting (a fault in the middle of a walk).</summary>
    public int After { get; init; }

    /// <summary>The answer of a <see cref="FaultKind.Body"/> fault.</summary>
    public string? Body { get; init; }

    internal bool Matches(string exchange, string path, string? apiKey) =>
        (Exchange is null || string.Equals(Exchange, exchange, StringComparison.OrdinalIgnoreCase))
        && (ApiKey is null || string.Equals(ApiKey, apiKey, StringComparison.Ordinal))
        && (Path is null || (Path.EndsWith('*')
            ? path.StartsWith(Path[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(Path, path, StringComparison.OrdinalIgnoreCase)));
}

public sealed record ActiveFault(long Id, Fault Fault, int Hits);

/// <summary>Faults switched on and off at run time, in-process or through <c>/__sim/faults</c>.</summary>
public sealed class SimulatorFaults
{
    private readonly ConcurrentDictionary<long, FaultSlot> _faults = new();
    private long _nextId;

    public long Add(Fault fault)
    {
        var id = Interlocked.Increment(ref _nextId);
        _faults[id] = new FaultSlot(fault);
        return id;
    }

    public long Add(FaultKind kind, string exchange, string? path = null, SimulatedAccount? account = null) =>
        Add(new Fault(kind) { Exchange = exchange, Path = path, ApiKey = account?.ApiKey });

    public long AddLatency(string exchange, TimeSpan latency, string? path = null) =>
        Add(new Fault(FaultKind.Latency) { Exchange = exchange, Path = path, Latency = latency });

    public bool Remove(long id) => _faults.TryRemove(id, out _);

    public void Clear() => _faults.Clear();

    public IReadOnlyList<ActiveFault> Active =>
        _faults.OrderBy(f => f.Key).Select(f => new ActiveFault(f.Key, f.Value.Fault, f.Value.Hits)).ToList();

    /// <summary>Latencies add up; of the other faults the oldest matching one wins.</summary>
    internal (TimeSpan Latency, Fault? Fault) Match(string exchange, string path, string? apiKey)
    {
        var latency = TimeSpan.Zero;
        Fault? chosen = null;
        foreach (var (id, slot) in _faults.OrderBy(f => f.Key))
        {
            if (!slot.Fault.Matches(exchange, path, apiKey)) continue;
            if (slot.Fault.Kind != FaultKind.Latency && chosen is not null) continue;
            var hit = slot.TryHit();
            if (hit is null) continue;
            if (hit == false) { _faults.TryRemove(id, out _); continue; }
            if (slot.Fault.Kind == FaultKind.Latency) latency += slot.Fault.Latency;
            else chosen = slot.Fault;
        }
        return (latency, chosen);
    }

    private sealed class FaultSlot(Fault fault)
    {
        private int _hits;
        public Fault Fault { get; } = fault;
        public int Hits => Volatile.Read(ref _hits);

        private int _seen;

        /// <summary>Null: let this request pass and keep the fault; false: the fault is spent.</summary>
        public bool? TryHit()
        {
            if (Interlocked.Increment(ref _seen) <= Fault.After) return null;
            var hits = Interlocked.Increment(ref _hits);
            return Fault.Times is null || hits <= Fault.Times;
        }
    }
}
