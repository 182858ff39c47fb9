using System.Globalization;
using System.Text;

namespace Bitcain.ExchangeSimulator;

/// <summary>Stable hashing for generated data: the same inputs give the same markets, tickers and trades on every
/// run and every machine (string.GetHashCode is randomized per process, so it cannot be used).</summary>
internal static class Deterministic
{
    public static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return Mix(hash);
    }

    public static ulong Hash(string text, long index) => Mix(Hash(text) ^ Mix((ulong)index + 0x9E3779B97F4A7C15UL));

    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>A value in [0, 1).</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    public static string Fixed(decimal value, int decimals) =>
        Math.Round(value, decimals, MidpointRounding.ToZero).ToString("F" + decimals, CultureInfo.InvariantCulture);

    public static string Plain(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal RoundDown(decimal value, decimal step) => step <= 0 ? value : Math.Floor(value / step) * step;

    public static int DecimalsOf(decimal step)
    {
        var decimals = 0;
        while (step < 1m && decimals < 18)
        {
            step *= 10m;
            decimals++;
        }
        return decimals;
    }
}
