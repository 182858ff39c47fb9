namespace Bitcain.Exchanges.Http;

/// <summary>Where and how to reach one exchange; read from <c>Exchanges:&lt;id&gt;:*</c>.</summary>
public sealed record ExchangeClientOptions
{
    public required string Exchange { get; init; }

    /// <summary>May carry a path prefix (<c>http://127.0.0.1:5099/binance</c>): requests are appended to it, never replace it.</summary>
    public required string BaseUrl { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A 429 asking to wait at most this long is waited out and retried once; a longer one is returned to the caller.</summary>
    public TimeSpan MaxRetryAfterWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Binance: request weight per minute (exchangeInfo's REQUEST_WEIGHT); Kraken: the private call counter's maximum.</summary>
    public int? RateLimit { get; init; }

    /// <summary>Kraken: how fast the private call counter decays, per second.</summary>
    public double? RateDecayPerSecond { get; init; }

    /// <summary>A larger answer fails as <c>malformed_response</c>. Binance's full exchangeInfo is the largest answer read
    /// (several MiB, growing with its symbol list); 32 MiB leaves room for it.</summary>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;

    public int RecvWindowMs { get; init; } = 5000;
}
