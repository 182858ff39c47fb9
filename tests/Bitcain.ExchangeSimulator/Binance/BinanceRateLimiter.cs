namespace Bitcain.ExchangeSimulator.Binance;

internal enum RateVerdict { Allowed, TooManyRequests, Banned }

internal readonly record struct RateDecision(RateVerdict Verdict, int UsedWeight, int RetryAfterSeconds, long BannedUntilMs);

/// <summary>Binance's request-weight limits (rest-api.md "LIMITS"): weight per IP per calendar minute, /api and /sapi
/// counted apart; over the limit → 429 with Retry-After; an IP that keeps sending while told to back off is banned
/// with 418 (Retry-After = ban length).</summary>
internal sealed class BinanceRateLimiter(BinanceLimitOptions options)
{
    private readonly Dictionary<string, IpState> _ips = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RateDecision Charge(string ip, bool sapi, int weight, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var minute = nowMs / 60_000;
        lock (_lock)
        {
            if (!_ips.TryGetValue(ip, out var s)) _ips[ip] = s = new IpState();
            if (s.Minute != minute)
            {
                s.Minute = minute;
                s.ApiWeight = 0;
                s.SapiWeight = 0;
            }
            ref var used = ref sapi ? ref s.SapiWeight : ref s.ApiWeight;
            used += weight;
            if (!options.Enabled) return new RateDecision(RateVerdict.Allowed, used, 0, 0);

            if (s.BannedUntilMs > nowMs) return Banned(s, used, nowMs);
            if (s.BackOffUntilMs > nowMs)
            {
                if (++s.IgnoredBackOffs > options.RequestsIgnoring429BeforeBan)
                {
                    s.BannedUntilMs = nowMs + (long)options.BanDuration.TotalMilliseconds;
                    s.BackOffUntilMs = 0;
                    return Banned(s, used, nowMs);
                }
                return new RateDecision(RateVerdict.TooManyRequests, used, SecondsUntil(s.BackOffUntilMs, nowMs), 0);
            }
            var limit = sapi ? options.SapiIpWeightPerMinute : options.RequestWeightPerMinute;
            if (used > limit)
            {
                s.BackOffUntilMs = (minute + 1) * 60_000;
                s.IgnoredBackOffs = 0;
                return new RateDecision(RateVerdict.TooManyRequests, used, SecondsUntil(s.BackOffUntilMs, nowMs), 0);
            }
            return new RateDecision(RateVerdict.Allowed, used, 0, 0);
        }
    }

    public void Reset()
    {
        lock (_lock) _ips.Clear();
    }

    private static RateDecision Banned(IpState s, int used, long nowMs) =>
        new(RateVerdict.Banned, used, SecondsUntil(s.BannedUntilMs, nowMs), s.BannedUntilMs);

    private static int SecondsUntil(long untilMs, long nowMs) => (int)Math.Max(1, (untilMs - nowMs + 999) / 1000);

    private sealed class IpState
    {
        public long Minute;
        public int ApiWeight;
        public int SapiWeight;
        public long BackOffUntilMs;
        public int IgnoredBackOffs;
        public long BannedUntilMs;
    }
}
