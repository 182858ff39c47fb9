using System.Text.Json;

namespace Bitcain.Contracts;

/// <summary>
/// One event of the audit trail, as every service that owns a stream type answers it (credential, sync, market) and
/// as <c>GET /api/audit/events</c> returns it. <see cref="Data"/> holds only the event's non-secret fields.
/// </summary>
public sealed record AuditEventItem(
    long Sequence,
    string StreamId,
    string EventType,
    DateTimeOffset Timestamp,
    string? Exchange,
    Guid? CredentialId,
    JsonElement Data);

/// <summary>The audit filters of <c>GET /api/audit/events</c>, already validated by the gateway.</summary>
public sealed record AuditFilter(
    string? Exchange,
    Guid? CredentialId,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    int Limit,
    int Offset);

/// <summary>
/// A page of audit items, newest first. <see cref="Total"/> counts every match; a service asked with offset+limit
/// returns its first offset+limit matches so the gateway can merge several services and cut the page itself.
/// </summary>
public sealed record AuditEventPage(IReadOnlyList<AuditEventItem> Items, long Total) : IServiceReply;
