using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Sync;
using Bitcain.Gateway.Auth;
using Bitcain.Gateway.Http;
using Bitcain.Gateway.Messaging;
using Bitcain.Gateway.OpenApi;

namespace Bitcain.Gateway.Api;

/// <summary>
/// The audit trail: the caller's own events, never secret material. Each stream type is read from the service
/// that owns it (<see cref="AuditSources"/>) and the answers are merged newest first.
/// </summary>
public static class AuditEndpoints
{
    private const string Tag = "Audit";
    public static readonly IReadOnlyList<string> StreamTypes = ["credential", "sync", "market"];

    private static readonly ParamSpec CredentialIdPath = new("credential_id", ParamKind.String, Required: true, In: "path");

    private static readonly IReadOnlyList<ParamSpec> AuditParams =
    [
        new("stream", ParamKind.String, Description: "Stream type: credential, sync or market (default: all)"),
        new("exchange", ParamKind.Exchange),
        new("credential_id", ParamKind.String),
        new("start_date", ParamKind.DateTime),
        new("end_date", ParamKind.DateTime),
        new("limit", ParamKind.Integer, Default: 100L, Minimum: 1, Maximum: QueryBounds.MaxLimit),
        new("offset", ParamKind.Integer, Default: 0L, Minimum: 0, Maximum: QueryBounds.MaxOffset,
            Description: "Events to skip, newest first; past the bound narrow start_date/end_date instead"),
    ];

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDocumented(new("GET", "/api/exchange/credentials/{credential_id}/events", "get_credential_events", "Get Credential Events", "Exchange",
            typeof(CredentialEventsResponse), [CredentialIdPath]), CredentialEvents);

        app.MapDocumented(new("GET", "/api/audit/events", "list_audit_events", "List Audit Events", Tag, typeof(AuditEventsResponse),
            AuditParams), AuditEvents);
    }

    private static async Task<IResult> CredentialEvents(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var raw = ParamValues.Read(http.Request, [CredentialIdPath]).String("credential_id");
        if (!Guid.TryParse(raw, out var id)) return ApiResults.Detail(StatusCodes.Status404NotFound, $"Credential {raw} not found");

        var answer = await calls.QueryAsync<CredentialEventsReply>("credentials", http.UserId(), new GetCredentialEvents(id), ct);
        if (!answer.Answered) return answer.Failure!;
        return answer.Reply!.Found
            ? ApiResults.Ok(new CredentialEventsResponse(answer.Reply.Items, id.ToString(), answer.Reply.Items.Count))
            : ApiResults.Detail(StatusCodes.Status404NotFound, $"Credential {raw} not found");
    }

    private static async Task<IResult> AuditEvents(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, AuditParams);
        var stream = query.String("stream")?.Trim().ToLowerInvariant();
        if (stream is not null && !StreamTypes.Contains(stream))
            query.Errors.Add(new FieldError("literal_error", ["query", "stream"], "Input should be 'credential', 'sync' or 'market'",
                query.String("stream"), new Dictionary<string, object?> { ["expected"] = "'credential', 'sync' or 'market'" }));
        Guid? credentialId = null;
        if (query.String("credential_id") is { } rawId)
        {
            if (Guid.TryParse(rawId, out var parsed)) credentialId = parsed;
            else query.Errors.Add(new FieldError("uuid_parsing", ["query", "credential_id"],
                "Input should be a valid UUID, unable to parse string as a UUID", rawId));
        }
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);

        var filter = new AuditFilter(query.Exchange("exchange")?.Id, credentialId, query.DateTime("start_date"), query.DateTime("end_date"),
            (int)query.Integer("limit")!.Value, (int)query.Integer("offset")!.Value);

        var pages = new List<AuditEventPage>();
        foreach (var source in AuditSources.For(stream))
        {
            var answer = await source(calls, http.UserId(), filter, ct);
            if (!answer.Answered) return answer.Failure!;
            pages.Add(answer.Reply!);
        }
        var items = pages.SelectMany(p => p.Items)
            .OrderByDescending(i => i.Timestamp).ThenByDescending(i => i.Sequence)
            .Skip(filter.Offset).Take(filter.Limit)
            .ToList();
        return ApiResults.Ok(new AuditEventsResponse(items, pages.Sum(p => p.Total), filter.Limit, filter.Offset));
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
