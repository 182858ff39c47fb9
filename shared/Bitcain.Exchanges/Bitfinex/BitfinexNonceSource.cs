using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Bitfinex;

/// <summary>
/// Bitfinex refuses a nonce not greater than the last one it saw for the key (10114 "nonce: small"). Its docs and
/// clients use microseconds since the epoch, so a key that some other tool signed with microseconds keeps working
/// here; two calls in the same microsecond are bumped past each other. Keys are held only as a hash.
/// </summary>
public sealed class BitfinexNonceSource(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> last = new();

    public long Next(string apiKey)
    {
        var box = last.GetOrAdd(KeyId(apiKey), _ => new StrongBox<long>(0));
        while (true)
        {
            var previous = Volatile.Read(ref box.Value);
            var micros = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (TimeSpan.TicksPerMillisecond / 1000);
            var candidate = Math.Max(previous + 1, micros);
            if (Interlocked.CompareExchange(ref box.Value, candidate, previous) == previous) return candidate;
        }
    }

    /// <summary>A stable, non-reversible id for a key, for per-key state that must not hold the key itself.</summary>
    public static string KeyId(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..16];
}
