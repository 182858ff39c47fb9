using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using JasperFx.Events;
using Bitcain.ServiceDefaults;
using Marten;
using Wolverine;

namespace Bitcain.Credentials.Auditing;

/// <summary>
/// Reads the user's credential events back for the audit trail. The session is scoped to the user (conjoined
/// tenancy), and the tenant is also named in every query, so another user's events cannot appear. A deleted
/// credential's events stay readable: only its data key is gone, and no secret is ever shown.
/// </summary>
public static class CredentialAuditHandler
{
    public static async Task<CredentialEventsReply> Handle(GetCredentialEvents query, Envelope envelope, IQuerySession session, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        // The stream's first event names the exchange; read on its own, since the newest events may not reach back to it.
        var stored = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == query.CredentialId && e.TenantId == user && e.EventTypeName == CredentialEventNames.Stored)
            .ToListAsync(ct);
        var exchange = stored.Select(e => e.Data).OfType<CredentialStored>().FirstOrDefault()?.ExchangeName;
        if (exchange is null) return new CredentialEventsReply(false, []);
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == query.CredentialId && e.TenantId == user)
            .OrderByDescending(e => e.Sequence)
            .Take(QueryBounds.MaxCredentialEvents)
            .ToListAsync(ct);
        return new CredentialEventsReply(true, events.Select(e => AuditItems.From(e, exchange)).ToList());
    }

    public static async Task<AuditEventPage> Handle(GetCredentialAuditEvents query, Envelope envelope, IQuerySession session, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        var filter = query.Filter;

        // Which stream is which exchange's: told by each stream's first event, deleted credentials included.
        var stored = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName == CredentialEventNames.Stored && e.TenantId == user)
            .ToListAsync(ct);
        var exchangeOf = stored.Where(e => e.Data is CredentialStored)
            .ToDictionary(e => e.StreamId, e => ((CredentialStored)e.Data).ExchangeName);
        var streams = exchangeOf
            .Where(s => (filter.Exchange is null || s.Value == filter.Exchange) && (filter.CredentialId is null || s.Key == filter.CredentialId))
            .Select(s => s.Key)
            .ToArray();
        if (streams.Length == 0) return new AuditEventPage([], 0);

        var matching = session.Events.QueryAllRawEvents().Where(e => e.TenantId == user && streams.Contains(e.StreamId));
        if (filter.StartDate is { } start) matching = matching.Where(e => e.Timestamp >= start);
        if (filter.EndDate is { } end) matching = matching.Where(e => e.Timestamp <= end);

        var total = await matching.CountAsync(ct);
        var page = await matching.OrderByDescending(e => e.Sequence).Take(QueryBounds.Window(filter.Offset, filter.Limit)).ToListAsync(ct);
        return new AuditEventPage(page.Select(e => AuditItems.From(e, exchangeOf[e.StreamId])).ToList(), total);
    }
}

public static class AuditItems
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static AuditEventItem From(IEvent e, string exchange) =>
        new(e.Sequence, e.StreamId.ToString(), e.EventTypeName, e.Timestamp, exchange, e.StreamId, NonSecretData(e.Data));

    /// <summary>The event's fields minus its ciphertext: even sealed, secret material has no place in an audit answer.</summary>
    public static JsonElement NonSecretData(object data)
    {
        var node = JsonSerializer.SerializeToNode(data, data.GetType(), Json)!.AsObject();
        foreach (var name in node.Select(p => p.Key).Where(k => k == "secrets" || k.StartsWith("sealed_", StringComparison.Ordinal)).ToList())
            node.Remove(name);
        return JsonSerializer.SerializeToElement(node);
    }
}
