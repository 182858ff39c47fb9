using System.Collections.Concurrent;

namespace Bitcain.ExchangeSimulator;

public sealed record RequestCount(string Exchange, string Method, string Path, long Count);

/// <summary>How many requests reached each exchange endpoint (every request counts, rejected or faulted ones too),
/// so tests can assert that a cached answer made no exchange call.</summary>
public sealed class SimulatorRequests
{
    private readonly ConcurrentDictionary<(string Exchange, string Method, string Path), long> _counts = new();

    internal void Record(string exchange, string method, string path) =>
        _counts.AddOrUpdate((exchange, method.ToUpperInvariant(), path), 1, (_, n) => n + 1);

    /// <summary>Requests to one real path (<c>/api/v3/exchangeInfo</c>), any method.</summary>
    public long Count(string exchange, string path) =>
        _counts.Where(c => Same(c.Key.Exchange, exchange) && Same(c.Key.Path, path)).Sum(c => c.Value);

    public long Count(string exchange, string method, string path) =>
        _counts.Where(c => Same(c.Key.Exchange, exchange) && Same(c.Key.Method, method) && Same(c.Key.Path, path))
            .Sum(c => c.Value);

    public long Total(string exchange) => _counts.Where(c => Same(c.Key.Exchange, exchange)).Sum(c => c.Value);

    public long Total() => _counts.Sum(c => c.Value);

    public IReadOnlyList<RequestCount> Snapshot() =>
        _counts.Select(c => new RequestCount(c.Key.Exchange, c.Key.Method, c.Key.Path, c.Value))
            .OrderBy(c => c.Exchange, StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal)
            .ThenBy(c => c.Method, StringComparer.Ordinal).ToList();

    public void Reset() => _counts.Clear();

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
