using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.Http;

/// <summary>
/// Nonces that only grow, per key: Kraken and Bitfinex refuse a nonce not greater than the last one they saw for the key
/// (Kraken <c>EAPI:Invalid nonce</c>, Bitfinex 10114 "nonce: small"). One source per client hands out the time since the
/// epoch in the exchange's customary unit, bumped past the previous value when two calls land in the same unit. Keys are
/// held only as a hash.
/// </summary>
/// <remarks>
/// A key's entry matters only while its last nonce is ahead of the clock (calls faster than one per unit); after that the
/// clock alone hands out a larger nonce. So entries idle for <see cref="ForgetAfter"/> are dropped, and past
/// <see cref="MaxKeys"/> any entry the clock has overtaken, oldest first: <c>POST /api/exchange/validate</c> with a new
/// random key per request must not grow the table forever. The idle margin is there for a clock stepped back a little.
/// </remarks>
public sealed class NonceSource
{
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(5);
    public const int MaxKeys = 10_000;
    private const int FirstSweep = 1024;

    private readonly Dictionary<string, long> last = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly long ticksPerUnit;
    private int sweepAt = FirstSweep;

    private NonceSource(TimeProvider time, long ticksPerUnit) => (this.time, this.ticksPerUnit) = (time, ticksPerUnit);

    /// <summary>Kraken's docs and clients count milliseconds.</summary>
    public static NonceSource Milliseconds(TimeProvider time) => new(time, TimeSpan.TicksPerMillisecond);

    /// <summary>Bitfinex's docs and clients count microseconds, so a key another tool signed with keeps working here.</summary>
    public static NonceSource Microseconds(TimeProvider time) => new(time, TimeSpan.TicksPerMicrosecond);

    /// <summary>How many keys the source remembers now.</summary>
    public int TrackedKeys
    {
        get { lock (gate) return last.Count; }
    }

    public long Next(string apiKey)
    {
        var key = KeyId(apiKey);
        lock (gate)
        {
            var now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / ticksPerUnit;
            var nonce = last.TryGetValue(key, out var previous) ? Math.Max(previous + 1, now) : now;
            last[key] = nonce;
            if (last.Count >= sweepAt) Sweep(now);
            return nonce;
        }
    }

    private void Sweep(long now)
    {
        var idleSince = now - ForgetAfter.Ticks / ticksPerUnit;
        foreach (var (key, nonce) in last)
            if (nonce < idleSince) last.Remove(key);
        // Down to nine tenths, so that a flood pays for a sort once per thousand keys, not per key.
        if (last.Count > MaxKeys)
            foreach (var (key, _) in last.Where(e => e.Value < now).OrderBy(e => e.Value).Take(last.Count - MaxKeys * 9 / 10).ToList())
                last.Remove(key);
        sweepAt = Math.Min(MaxKeys + 1, Math.Max(FirstSweep, last.Count * 2));
    }

    /// <summary>A stable, non-reversible id for a key, for per-key state that must not hold the key itself.</summary>
    public static string KeyId(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..16];
}
