using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Marten;

namespace Bitcain.Market.ExchangeHealth;

/// <summary>When exchanges were unavailable, newest first: for the audit trail (no gateway endpoint of its own yet).</summary>
public static class GetExchangeHealthEventsHandler
{
    public static async Task<ExchangeHealthEvents> Handle(GetExchangeHealthEvents query, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == ExchangeHealthStreams.EventName);
        if (query.Exchange is not null)
        {
            var id = ExchangeCatalog.TryResolve(query.Exchange, out var exchange) ? exchange.Id : query.Exchange;
            var stream = ExchangeHealthStreams.StreamOf(id);
            events = events.Where(e => e.StreamId == stream);
        }
        if (query.From is { } from) events = events.Where(e => e.Timestamp >= from);
        if (query.To is { } to) events = events.Where(e => e.Timestamp <= to);

        var total = await events.CountAsync(ct);
        var page = await events.OrderByDescending(e => e.Sequence)
            .Skip(Math.Max(0, query.Offset)).Take(Math.Clamp(query.Limit, 1, 1000)).ToListAsync(ct);
        return new ExchangeHealthEvents(page
            .Select(e => (Event: e, Data: (ExchangeHealthChanged)e.Data))
            .Select(x => new ExchangeHealthEventInfo(x.Event.Sequence, x.Event.StreamId, x.Event.EventTypeName, x.Event.Timestamp,
                x.Data.Exchange, x.Data.From, x.Data.To, x.Data.Error))
            .ToList(), total);
    }
}
