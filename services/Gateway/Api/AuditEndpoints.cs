using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Microsoft.AspNetCore.Mvc;

namespace Bitcain.Gateway.Api;

/// <summary>
/// The audit trail: the caller's own events, never secret material. Each stream type is read from the service
/// that owns it (<see cref="AuditSources"/>) and the answers are merged newest first.
/// </summary>
public static class AuditEndpoints
{
    public static readonly IReadOnlyList<string> StreamTypes = ["credential", "sync", "market"];

    public static void MapCredentialEventEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/credentials/{credential_id}/events", CredentialEvents).WithName("get_credential_events").WithSummary("Get Credential Events");

    public static void MapAuditEndpoints(this RouteGroupBuilder audit) =>
        audit.MapGet("/events", AuditEvents).WithName("list_audit_events").WithSummary("List Audit Events");

    private static async Task<Results<Ok<CredentialEventsResponse>, NotFound<ErrorDetail>, JsonHttpResult<ErrorDetail>>> CredentialEvents(
        [FromRoute(Name = "credential_id")] string credentialId, ClaimsPrincipal user, ServiceCalls calls, CancellationToken ct)
    {
        var notFound = TypedResults.NotFound(new ErrorDetail($"Credential {credentialId} not found"));
        if (!Guid.TryParse(credentialId, out var id)) return notFound;

        var answer = await calls.QueryAsync<CredentialEventsReply>("credentials", user.Id(), new GetCredentialEvents(id), ct);
        if (!answer.Answered) return answer.Refusal();
        return answer.Reply!.Found
            ? TypedResults.Ok(new CredentialEventsResponse(answer.Reply.Items, id.ToString(), answer.Reply.Items.Count))
            : notFound;
    }

    private static async Task<Results<Ok<AuditEventsResponse>, JsonHttpResult<ErrorDetail>>> AuditEvents(AuditQuery query, ClaimsPrincipal user,
        ServiceCalls calls, CancellationToken ct)
    {
        var filter = new AuditFilter(query.Exchange?.Id, query.CredentialId is { } raw ? Guid.Parse(raw) : null, query.StartDate, query.EndDate,
            query.Limit, query.Offset);

        var pages = new List<AuditEventPage>();
        foreach (var source in AuditSources.For(query.Stream?.Trim().ToLowerInvariant()))
        {
            var answer = await source(calls, user.Id(), filter, ct);
            if (!answer.Answered) return answer.Refusal();
            pages.Add(answer.Reply!);
        }
        var items = pages.SelectMany(p => p.Items)
            .OrderByDescending(i => i.Timestamp).ThenByDescending(i => i.Sequence)
            .Skip(filter.Offset).Take(filter.Limit)
            .ToList();
        return TypedResults.Ok(new AuditEventsResponse(items, pages.Sum(p => p.Total), filter.Limit, filter.Offset));
    }
}

public sealed record AuditQuery : EdgeQuery<AuditQuery>
{
    [JsonPropertyName("stream"), Description("Stream type: credential, sync or market (default: all)")]
    public string? Stream { get; init; }

    [JsonPropertyName("exchange"), ValueRule(typeof(ExchangeName))] public ExchangeDescriptor? Exchange { get; init; }
    [JsonPropertyName("credential_id")] public string? CredentialId { get; init; }
    [JsonPropertyName("start_date")] public DateTimeOffset? StartDate { get; init; }
    [JsonPropertyName("end_date")] public DateTimeOffset? EndDate { get; init; }
    [JsonPropertyName("limit"), DefaultValue(100), Range(1, QueryBounds.MaxLimit)] public int Limit { get; init; } = 100;

    [JsonPropertyName("offset"), DefaultValue(0), Range(0, QueryBounds.MaxOffset)]
    [Description("Events to skip, newest first; past the bound narrow start_date/end_date instead")]
    public int Offset { get; init; }

    /// <summary>The stream's literal and the id's form are checked after the parameters' own rules, as pydantic's validators run.</summary>
    protected override ParamValues Read(HttpContext context)
    {
        var query = base.Read(context);
        var stream = query.String("stream")?.Trim().ToLowerInvariant();
        if (stream is not null && !AuditEndpoints.StreamTypes.Contains(stream))
            query.Errors.Add(new FieldError("literal_error", ["query", "stream"], "Input should be 'credential', 'sync' or 'market'",
                query.String("stream"), new Dictionary<string, object?> { ["expected"] = "'credential', 'sync' or 'market'" }));
        if (query.String("credential_id") is { } rawId && !Guid.TryParse(rawId, out _))
            query.Errors.Add(new FieldError("uuid_parsing", ["query", "credential_id"],
                "Input should be a valid UUID, unable to parse string as a UUID", rawId));
        return query;
    }
}

/// <summary>
/// Which service answers the audit of which stream type. Each answers its first offset+limit matches (same
/// <see cref="AuditEventItem"/> shape) so the merge can cut the page. The market service keeps no user events.
/// </summary>
public static class AuditSources
{
    public delegate Task<ServiceAnswer<AuditEventPage>> Source(ServiceCalls calls, string user, AuditFilter filter, CancellationToken ct);

    private static readonly Source Credentials = (calls, user, filter, ct) =>
        calls.QueryAsync<AuditEventPage>("credentials", user, new GetCredentialAuditEvents(filter), ct);

    private static readonly Source Sync = (calls, user, filter, ct) =>
        calls.QueryAsync<AuditEventPage>("sync", user, new GetSyncAuditEvents(filter), ct);

    private static readonly IReadOnlyDictionary<string, Source> ByStream = new Dictionary<string, Source>
    {
        ["credential"] = Credentials,
        ["sync"] = Sync,
    };

    public static IEnumerable<Source> For(string? stream) =>
        stream is null ? ByStream.Values : ByStream.TryGetValue(stream, out var source) ? [source] : [];
}

public sealed record CredentialEventsResponse(IReadOnlyList<AuditEventItem> Events, string CredentialId, int TotalCount);

public sealed record AuditEventsResponse(IReadOnlyList<AuditEventItem> Events, long TotalCount, int Limit, int Offset);
