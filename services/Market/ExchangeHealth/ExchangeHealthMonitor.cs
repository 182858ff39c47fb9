using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Market.Caching;
using Bitcain.Market.Markets;
using Marten;
using JasperFx;
using JasperFx.Events;

namespace Bitcain.Market.ExchangeHealth;

/// <summary>
/// Checks exchanges (cached about 30 s unless forced; concurrent checks of one exchange share one call) and records
/// each change of status as an event, so the audit trail can show when an exchange was unavailable.
/// </summary>
public sealed class ExchangeHealthMonitor(IExchangeClients clients, IDocumentStore store, ExchangeDeadline deadline, TimeProvider time, ILogger<ExchangeHealthMonitor> logger)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    /// <summary>Above this round trip an answering exchange counts as degraded.</summary>
    public static readonly TimeSpan SlowLatency = TimeSpan.FromSeconds(3);

    /// <summary>The endpoint needs no token, so a forced refresh must not let anyone hammer an exchange through us:
    /// a check younger than this answers forced requests too (and concurrent ones share one check anyway).</summary>
    public static readonly TimeSpan MinForcedInterval = TimeSpan.FromSeconds(2);

    private readonly SingleFlightCache<string, HealthSample> _cache = new(time, lookup: CacheMetrics.For<string>("health", exchange => exchange));

    public async Task<ExchangeHealthInfo> CheckAsync(ExchangeDescriptor exchange, bool forceRefresh)
    {
        if (!clients.TryGet(exchange.Id, out var client))
            return new ExchangeHealthInfo(exchange.Id, HealthStatus.Down, null, time.GetUtcNow(), ExchangeFailures.NoClientError, false);
        var sample = await _cache.GetAsync(exchange.Id, Ttl, _ => SampleAndRecordAsync(client), forceRefresh, minForcedInterval: MinForcedInterval);
        var s = sample.Value;
        return new ExchangeHealthInfo(s.Exchange, s.Status, s.LatencyMs, s.CheckedAt, s.Error, sample.FromCache);
    }

    private async Task<HealthSample> SampleAndRecordAsync(IExchangeClient client)
    {
        var sample = await SampleAsync(client);
        await RecordAsync(sample);
        return sample;
    }

    private async Task<HealthSample> SampleAsync(IExchangeClient client)
    {
        var started = time.GetTimestamp();
        try
        {
            var health = await deadline.RunAsync(client.Exchange, token => ExchangeHealthChecks.CheckAsync(client, token));
            var latency = Math.Round(health.Latency.TotalMilliseconds, 1);
            return health.Status switch
            {
                ExchangeSystemStatus.Maintenance => new(client.Exchange, HealthStatus.Down, latency, time.GetUtcNow(), health.Message ?? "the exchange is in maintenance"),
                ExchangeSystemStatus.Limited => new(client.Exchange, HealthStatus.Degraded, latency, time.GetUtcNow(), health.Message ?? "the exchange reports limited service"),
                _ when health.Latency > SlowLatency => new(client.Exchange, HealthStatus.Degraded, latency, time.GetUtcNow(), "slow to answer"),
                _ => new(client.Exchange, HealthStatus.Ok, latency, time.GetUtcNow(), null),
            };
        }
        catch (ExchangeException e)
        {
            return Down(client.Exchange, started, $"{e.ErrorTypeName}: {e.Message}");
        }
        catch (Exception e)
        {
            // Whatever one exchange's check throws is that exchange's failure: the report on the others must still be
            // given. Only the exception's type is named; its message may quote the exchange's answer.
            var failure = ExchangeException.Malformed(client.Exchange, "health check", $"unreadable ({e.GetType().Name})");
            return Down(client.Exchange, started, $"{failure.ErrorTypeName}: {failure.Message}");
        }
    }

    private HealthSample Down(string exchange, long started, string error) =>
        new(exchange, HealthStatus.Down, Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1), time.GetUtcNow(), error);

    /// <summary>
    /// Checks of one exchange are single-flighted within an instance; across instances the stream's version decides:
    /// the last recorded state is read from the stream, not remembered, and the transition is appended at the next
    /// version, so when two market instances see the same change only the first records it.
    /// </summary>
    private async Task RecordAsync(HealthSample sample)
    {
        try
        {
            var streamId = ExchangeHealthStreams.StreamOf(sample.Exchange);
            await using var session = store.LightweightSession();
            var events = await session.Events.FetchStreamAsync(streamId);
            var last = (events.LastOrDefault()?.Data as ExchangeHealthChanged)?.To;
            var change = HealthTransitions.Decide(last, sample);
            if (change is null)
                return;
            session.Events.Append(streamId, events.Count + 1, change);
            await session.SaveChangesAsync();
            logger.LogInformation("{Exchange} went from {From} to {To}", change.Exchange, change.From, change.To);
        }
        catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
        {
            // Another market instance recorded a transition meanwhile; the next check decides against it.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The health answer stands without its audit record; the next check tries to record again.
            logger.LogError("Recording the health of {Exchange} failed: {Error}", sample.Exchange, e.GetType().Name);
        }
    }
}
