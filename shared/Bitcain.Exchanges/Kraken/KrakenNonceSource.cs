using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Kraken;

/// <summary>
/// Kraken rejects a nonce not greater than the last one it saw for the key. One source per process hands out
/// milliseconds since the epoch, bumped past the previous value when two calls land in the same millisecond.
/// Keys are held only as a hash.
/// </summary>
public sealed class KrakenNonceSource(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> last = new();

    public long Next(string apiKey)
    {
        var box = last.GetOrAdd(KeyId(apiKey), _ => new StrongBox<long>(0));
        while (true)
        {
            var previous = Volatile.Read(ref box.Value);
            var candidate = Math.Max(previous + 1, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (Interlocked.CompareExchange(ref box.Value, candidate, previous) == previous) return candidate;
        }
    }

    /// <summary>A stable, non-reversible id for a key, for per-key state that must not hold the key itself.</summary>
    public static string KeyId(string apiKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..16];
}
