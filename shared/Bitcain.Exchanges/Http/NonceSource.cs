using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Http;

/// <summary>
/// Nonces that only grow, per key: Kraken and Bitfinex refuse a nonce not greater than the last one they saw for the key
/// (Kraken <c>EAPI:Invalid nonce</c>, Bitfinex 10114 "nonce: small"). One source per client hands out the time since the
/// epoch in the exchange's customary unit, bumped past the previous value when two calls land in the same unit. Keys are
/// held only as a hash.
/// </summary>
public sealed class NonceSource
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> last = new();
    private readonly TimeProvider time;
    private readonly long ticksPerUnit;

    private NonceSource(TimeProvider time, long ticksPerUnit) => (this.time, this.ticksPerUnit) = (time, ticksPerUnit);

    /// <summary>Kraken's docs and clients count milliseconds.</summary>
    public static NonceSource Milliseconds(TimeProvider time) => new(time, TimeSpan.TicksPerMillisecond);

    /// <summary>Bitfinex's docs and clients count microseconds, so a key another tool signed with keeps working here.</summary>
    public static NonceSource Microseconds(TimeProvider time) => new(time, TimeSpan.TicksPerMicrosecond);

    public long Next(string apiKey)
    {
        var box = last.GetOrAdd(KeyId(apiKey), _ => new StrongBox<long>(0));
        while (true)
        {
            var previous = Volatile.Read(ref box.Value);
            var candidate = Math.Max(previous + 1, (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / ticksPerUnit);
            if (Interlocked.CompareExchange(ref box.Value, candidate, previous) == previous) return candidate;
        }
    }

    /// <summary>A stable, non-reversible id for a key, for per-key state that must not hold the key itself.</summary>
    public static string KeyId(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..16];
}
