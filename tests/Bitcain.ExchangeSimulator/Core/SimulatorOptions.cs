namespace Bitcain.ExchangeSimulator;

/// <summary>Everything a test may want to change. Properties are read on every request, so changing them on a
/// running simulator takes effect at once.</summary>
public sealed class SimulatorOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The exchanges' clock: Binance's recvWindow check, Kraken's counter decay, rate-limit windows.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Generated trade histories end just before this instant, so they are the same on every run.</summary>
    public DateTimeOffset DataEpoch { get; set; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Size of each exchange's <c>load</c> account history (generated lazily, never held in memory).</summary>
    public int LoadAccountTrades { get; set; } = 120_000;

    public BinanceLimitOptions Binance { get; } = new();

    public KrakenLimitOptions Kraken { get; } = new();

    public BybitLimitOptions Bybit { get; } = new();

    public OkxLimitOptions Okx { get; } = new();

    public KuCoinLimitOptions KuCoin { get; } = new();

    public GateIoLimitOptions GateIo { get; } = new();

    public BitfinexLimitOptions Bitfinex { get; } = new();

    public CoinbaseLimitOptions Coinbase { get; } = new();
}

public sealed class CoinbaseLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Private requests per key per second (Advanced Trade: 30); over it: HTTP 429 RATE_LIMIT_EXCEEDED.</summary>
    public int PrivateRequestsPerSecond { get; set; } = 30;
}

public sealed class BitfinexLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Authenticated requests per key per endpoint per minute (Bitfinex: 90 on the reads simulated); over it:
    /// HTTP 429 <c>{"error":"ERR_RATE_LIMIT"}</c>.</summary>
    public int PrivateRequestsPerMinute { get; set; } = 90;
}

public sealed class GateIoLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Private requests per key per endpoint per 10 s (Gate spot: 200); over it: 429 TOO_MANY_REQUESTS.</summary>
    public int PrivateRequestsPer10Seconds { get; set; } = 200;
}

public sealed class KuCoinLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Spot private resource pool per key per 30 s (VIP0: 4000); each call weighs its documented amount.</summary>
    public int PrivateWeightPer30Seconds { get; set; } = 4000;
}

public sealed class OkxLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Private requests per key per endpoint per 2 s (OKX: 10 for balance and fills-history, 5 for
    /// account/config; this one number applies to all); over it: code 50011 with HTTP 429.</summary>
    public int PrivateRequestsPerTwoSeconds { get; set; } = 5;
}

public sealed class BybitLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Private requests per key per endpoint per second (docs/v5/rate-limit: 10/s for the account and
    /// execution calls on the lowest tier); over it: retCode 10006 with the X-Bapi-Limit-* headers.</summary>
    public int PrivateRequestsPerSecond { get; set; } = 10;
}

public sealed class BinanceLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>REQUEST_WEIGHT per IP per minute for /api/* (6000 on binance.com today, per exchangeInfo.rateLimits).</summary>
    public int RequestWeightPerMinute { get; set; } = 6000;

    /// <summary>IP weight per minute for /sapi/* endpoints, counted apart from /api/* as Binance does.</summary>
    public int SapiIpWeightPerMinute { get; set; } = 12000;

    /// <summary>Requests an IP may still send while told to back off (after a 429, before Retry-After passes)
    /// before it is banned with 418. Binance does not publish the number.</summary>
    public int RequestsIgnoring429BeforeBan { get; set; } = 3;

    /// <summary>First ban length; Binance scales bans from 2 minutes up to 3 days.</summary>
    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(2);
}

public sealed class KrakenLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Call-counter ceiling per key (Intermediate tier: 20).</summary>
    public double MaxCounter { get; set; } = 20;

    /// <summary>How fast the counter drains (Intermediate tier: 0.5 per second).</summary>
    public double DecayPerSecond { get; set; } = 0.5;

    /// <summary>Consecutive failed authentications from one IP before EGeneral:Temporary lockout; 0 = never.
    /// Kraken does lock out but publishes no number, so it is off by default.</summary>
    public int FailedAuthenticationsBeforeLockout { get; set; }

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(1);
}
