using System.Security.Cryptography;
using System.Text;
using Marten.Events;

namespace Bitcain.Market.ExchangeHealth;

/// <summary>
/// An exchange's health moved from one status to another (ok, degraded, down). One stream per exchange, in Marten's
/// default tenant: exchange health is nobody's private data. The stored name is explicit so renaming never orphans it.
/// </summary>
public sealed record ExchangeHealthChanged(string Exchange, string From, string To, string? Error, double? LatencyMs, DateTimeOffset At);

public static class ExchangeHealthStreams
{
    public const string EventName = "exchange_health_changed.v1";

    public static void Register(IEventStoreOptions events) => events.MapEventType<ExchangeHealthChanged>(EventName);

    /// <summary>A stable stream id per exchange, the same in every process and run.</summary>
    public static Guid StreamOf(string exchange)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes("bitcain.market.exchange-health:" + exchange));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}

public static class HealthStatus
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Down = "down";

    /// <summary>All ok: ok; all down: down; anything else: degraded.</summary>
    public static string Overall(IEnumerable<string> statuses)
    {
        var list = statuses.ToList();
        if (list.Count == 0 || list.All(s => s == Ok)) return Ok;
        return list.All(s => s == Down) ? Down : Degraded;
    }
}

/// <summary>One health check's outcome.</summary>
public sealed record HealthSample(string Exchange, string Status, double? LatencyMs, DateTimeOffset CheckedAt, string? Error);

public static class HealthTransitions
{
    /// <summary>
    /// The event a new sample makes, if any. An exchange is assumed ok until a check says otherwise, so the first
    /// check records nothing when the exchange is fine, and ok → down → ok records exactly two events.
    /// </summary>
    public static ExchangeHealthChanged? Decide(string? lastRecorded, HealthSample sample)
    {
        var previous = lastRecorded ?? HealthStatus.Ok;
        return previous == sample.Status
            ? null
            : new ExchangeHealthChanged(sample.Exchange, previous, sample.Status, sample.Error, sample.LatencyMs, sample.CheckedAt);
    }
}
