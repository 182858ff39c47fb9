using System.Buffers;
using System.Globalization;
using System.Linq.Expressions;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Marten;
using Marten.Linq;

namespace Bitcain.Credentials.ReadingCredentials;

/// <summary>
/// The REST API's credential bodies, written here from the projection so the gateway forwards them without reading
/// them: one compiled query in the asserted user's tenant, then the contract's JSON written field by field. What the
/// gateway's typed path would have written, byte for byte (field order, snake_case, nulls, <c>{}</c> for no metadata,
/// timestamps in UTC with a Z and microseconds only when there are any); a test holds the two paths together. Only
/// the fields named here leave the service: the view's sealed secrets and key-change bookkeeping never do.
/// </summary>
public static class CredentialResponses
{
    private static readonly JsonWriterOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteListAsync(HttpContext http, string user, ListCredentials query, CancellationToken ct)
    {
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(user);
        var views = query.ExchangeName is null
            ? await session.QueryAsync(new AllCredentials(), ct)
            : await session.QueryAsync(new CredentialsOnExchange { ExchangeName = query.ExchangeName }, ct);
        await WriteAsync(http, ListBody(views), ct);
    }

    public static async Task WriteDetailAsync(HttpContext http, string user, GetCredential query, CancellationToken ct)
    {
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(user);
        var view = await session.LoadAsync<CredentialView>(query.CredentialId, ct);
        // Answered, and nothing there: 204, so that the gateway tells it from a 404 of an instance that does not know this query.
        if (view is null)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await WriteAsync(http, DetailBody(view), ct);
    }

    /// <summary>The <c>GET /api/exchange/credentials</c> body of these views, in this order.</summary>
    public static ReadOnlyMemory<byte> ListBody(IEnumerable<CredentialView> views)
    {
        var body = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(body, Wire))
        {
            json.WriteStartObject();
            json.WriteStartArray("credentials");
            var count = 0;
            foreach (var view in views)
            {
                WriteCredential(json, view, detail: false);
                count++;
            }
            json.WriteEndArray();
            json.WriteNumber("total_count", count);
            json.WriteEndObject();
        }
        return body.WrittenMemory;
    }

    /// <summary>The <c>GET /api/exchange/credentials/{id}</c> body of this view.</summary>
    public static ReadOnlyMemory<byte> DetailBody(CredentialView view)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(body, Wire))
            WriteCredential(json, view, detail: true);
        return body.WrittenMemory;
    }

    private static Task WriteAsync(HttpContext http, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        http.Response.ContentType = ContentType;
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, ct).AsTask();
    }

    /// <summary>CredentialResponse, or CredentialDetailResponse (the masked key and whether there is a passphrase, after the name).</summary>
    private static void WriteCredential(Utf8JsonWriter json, CredentialView v, bool detail)
    {
        json.WriteStartObject();
        json.WriteString("id", v.Id);
        json.WriteString("user_id", v.UserId);
        json.WriteString("exchange_name", v.ExchangeName);
        json.WriteString("credential_name", v.CredentialName);
        if (detail)
        {
            json.WriteString("api_key_masked", v.ApiKeyMasked);
            json.WriteBoolean("has_passphrase", v.HasPassphrase);
        }
        WriteList(json, "permissions", v.Permissions);
        WriteList(json, "ip_whitelist", v.IpWhitelist);
        json.WritePropertyName("exchange_metadata");
        if (v.ExchangeMetadata is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } metadata) metadata.WriteTo(json);
        else
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
        json.WriteBoolean("is_active", v.IsActive);
        WriteTime(json, "last_used", v.LastUsed);
        WriteTime(json, "last_validation", v.LastValidation);
        json.WriteString("validation_status", v.ValidationStatus);
        json.WriteString("validation_error", v.ValidationError);
        WriteTime(json, "created_at", v.CreatedAt);
        WriteTime(json, "updated_at", v.UpdatedAt);
        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    /// <summary>
    /// The contract's timestamps: whole seconds when the instant has no fraction, else six digits (truncated, as the
    /// custom format's <c>ffffff</c> does). Written by hand: the custom format string was 2% of the service's CPU per read.
    /// </summary>
    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is not { } time)
        {
            json.WriteNull(name);
            return;
        }
        var utc = time.UtcDateTime;
        Span<byte> text = stackalloc byte[32];
        utc.TryFormat(text, out var written, "s", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text[written++] = (byte)'.';
            ((int)(fraction / 10)).TryFormat(text[written..], out var digits, "D6", CultureInfo.InvariantCulture);
            written += digits;
        }
        text[written++] = (byte)'Z';
        json.WriteString(name, text[..written]);
    }
}

/// <summary>The caller's credentials, oldest first; parsed once per process, not per request.</summary>
public sealed class AllCredentials : ICompiledListQuery<CredentialView>
{
    public Expression<Func<IMartenQueryable<CredentialView>, IEnumerable<CredentialView>>> QueryIs() =>
        q => q.OrderBy(c => c.CreatedAt);
}

/// <summary>The caller's credentials on one exchange, oldest first.</summary>
public sealed class CredentialsOnExchange : ICompiledListQuery<CredentialView>
{
    public string ExchangeName { get; set; } = "";

    public Expression<Func<IMartenQueryable<CredentialView>, IEnumerable<CredentialView>>> QueryIs() =>
        q => q.Where(c => c.ExchangeName == ExchangeName).OrderBy(c => c.CreatedAt);
}
