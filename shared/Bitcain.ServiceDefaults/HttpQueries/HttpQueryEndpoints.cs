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

/// <summary>The queries a service answers over HTTP: the same messages, handlers and replies as on its query queue.</summary>
public sealed class HttpQueryCatalog
{
    private readonly Dictionary<string, HttpQuery> _byName = new(StringComparer.Ordinal);

    /// <summary>Answers <typeparamref name="TQuery"/> with the handler that answers it on the bus, in the asking user's tenant.</summary>
    public HttpQueryCatalog Answer<TQuery, TReply>() where TQuery : class
    {
        var name = typeof(TQuery).GetCustomAttribute<MessageIdentityAttribute>()?.Alias
                   ?? throw new InvalidOperationException($"{typeof(TQuery).Name} needs a [MessageIdentity] name to be asked over HTTP");
        _byName[name] = new HttpQuery(typeof(TQuery), async (bus, user, query, ct) => user is null
            ? await bus.InvokeAsync<TReply>(query, ct)
            : await bus.InvokeForTenantAsync<TReply>(user, query, ct), typeof(TReply));
        return this;
    }

    internal bool TryFind(string name, out HttpQuery query) => _byName.TryGetValue(name, out query!);

    public IReadOnlyCollection<string> Names => _byName.Keys;
}

internal sealed record HttpQuery(Type MessageType, Func<IMessageBus, string?, object, CancellationToken, Task<object?>> Invoke, Type ReplyType);

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

        var reply = await query.Invoke(http.RequestServices.GetRequiredService<IMessageBus>(), user, message, ct);
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, reply, query.ReplyType, BitcainMessaging.JsonOptions, ct);
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
