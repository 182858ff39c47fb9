using System.Buffers;
using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using Bitcain.ServiceDefaults.BusIdentity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Attributes;

namespace Bitcain.ServiceDefaults.HttpQueries;

/// <summary>
/// Writes the answer to a query asked over HTTP straight to the response, for the asserted user (never null: a writer
/// answers only a query that names its user). What it writes is forwarded by the caller as it is.
/// </summary>
public delegate Task HttpQueryWriter<in TQuery>(HttpContext http, string user, TQuery query, CancellationToken ct);

/// <summary>The queries a service answers over HTTP: the same messages, handlers and replies as on its query queue.</summary>
public sealed class HttpQueryCatalog
{
    private readonly Dictionary<string, HttpQuery> _byName = new(StringComparer.Ordinal);

    /// <summary>Answers <typeparamref name="TQuery"/> with the handler that answers it on the bus, in the asking user's tenant.</summary>
    public HttpQueryCatalog Answer<TQuery, TReply>() where TQuery : class
    {
        var name = typeof(TQuery).GetCustomAttribute<MessageIdentityAttribute>()?.Alias
                   ?? throw new InvalidOperationException($"{typeof(TQuery).Name} needs a [MessageIdentity] name to be asked over HTTP");
        _byName[name] = new HttpQuery(typeof(TQuery), async (http, user, query, ct) =>
        {
            var bus = http.RequestServices.GetRequiredService<IMessageBus>();
            var reply = user is null
                ? await bus.InvokeAsync<TReply>(query, ct)
                : await bus.InvokeForTenantAsync<TReply>(user, query, ct);
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, reply, typeof(TReply), BitcainMessaging.JsonOptions, ct);
        });
        return this;
    }

    /// <summary>
    /// Answers <typeparamref name="TQuery"/>, asked under <paramref name="name"/> (HTTP only, never on the bus), with
    /// <paramref name="write"/> instead of a bus handler: a read that skips the message pipeline and writes the bytes
    /// its caller passes on. The writer still reads in the asserted user's tenant only.
    /// </summary>
    public HttpQueryCatalog Write<TQuery>(string name, HttpQueryWriter<TQuery> write) where TQuery : class
    {
        _byName[name] = new HttpQuery(typeof(TQuery), (http, user, query, ct) =>
        {
            if (user is not null) return write(http, user, (TQuery)query, ct);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        });
        return this;
    }

    internal bool TryFind(string name, out HttpQuery query) => _byName.TryGetValue(name, out query!);

    public IReadOnlyCollection<string> Names => _byName.Keys;
}

internal sealed record HttpQuery(Type MessageType, Func<HttpContext, string?, object, CancellationToken, Task> AnswerAsync);

public static class HttpQueryEndpoints
{
    /// <summary>Query bodies are a few ids and filters; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// <c>POST /queries/{message name}</c>: the caller's signed assertion is checked before anything is read or run
    /// (401 otherwise, the same refusal as on the bus), then the bus handler answers in the asserted user's tenant.
    /// </summary>
    public static IEndpointConventionBuilder MapHttpQueries(this WebApplication app, Action<HttpQueryCatalog> answer)
    {
        var catalog = new HttpQueryCatalog();
        answer(catalog);
        return app.MapPost(HttpQueryIdentity.PathPrefix + "{name}", (HttpContext http, string name) => AnswerAsync(http, name, catalog))
            .ExcludeFromDescription();
    }

    private static async Task AnswerAsync(HttpContext http, string name, HttpQueryCatalog catalog)
    {
        var ct = http.RequestAborted;
        if (!catalog.TryFind(name, out var query))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var body = await ReadBodyAsync(http.Request.BodyReader, ct);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var headers = http.Request.Headers;
        var user = BusVerification.UserOf(headers[HttpQueryIdentity.UserHeader].ToString());
        var verifier = http.RequestServices.GetRequiredService<BusIdentityVerifier>();
        if (!verifier.AdmitsHttpQuery(headers[HttpQueryIdentity.AssertionHeader].ToString(), headers[HttpQueryIdentity.MessageIdHeader].ToString(),
                name, body, user))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        object? message;
        try
        {
            message = JsonSerializer.Deserialize(body, query.MessageType, BitcainMessaging.JsonOptions);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await query.AnswerAsync(http, user, message, ct);
    }

    private static async Task<byte[]?> ReadBodyAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            if (read.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
