using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class OneTraceTests(TelemetrySuite telemetry)
{
    [Fact]
    public async Task storing_a_credential_is_one_trace_from_the_gateway_through_rabbitmq_and_the_handler_to_postgresql_and_back()
    {
        // The caller's own trace context, as a browser or another service would send it: every span must join it.
        var trace = ActivityTraceId.CreateRandom();
        var http = telemetry.Suite.Gateway.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/exchange/credentials")
        {
            Content = new StringContent(JsonSerializer.Serialize(ApiClient.NewCredential(exchange: "kraken", name: "Traced")), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("traced-" + Guid.NewGuid().ToString("N")[..8]));
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var response = await http.SendAsync(request);
        ((int)response.StatusCode).ShouldBe(201, await response.Content.ReadAsStringAsync());

        // Spans end a moment after the answer: the reply's handler span and the server span close as the response goes out.
        IReadOnlyList<Activity> spans = [];
        Activity? server = null, send = null, handler = null, reply = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            spans = telemetry.Spans.InTrace(trace);
            server = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
            send = spans.FirstOrDefault(s => s.Source.Name == "Wolverine" && s.Kind == ActivityKind.Producer && MessageType(s).EndsWith("store-credential.v1"));
            // Wolverine runs a handler in a span of its own (kind Internal) whose parent is the context the envelope carried.
            handler = spans.FirstOrDefault(s => s.Source.Name == "Wolverine" && s.GetTagItem("message.handler") is string h && h.EndsWith("StoreCredentialHandler"));
            reply = spans.FirstOrDefault(s => s.Source.Name == "Wolverine" && s.Kind == ActivityKind.Consumer && MessageType(s).EndsWith("credential-reply.v1"));
            if (server is not null && send is not null && handler is not null && reply is not null && spans.Any(IsPostgres)) break;
        }

        var seen = string.Join("\n", spans.Select(s => $"{s.Source.Name} {s.Kind} '{s.DisplayName}' {MessageType(s)} id={s.SpanId} parent={s.ParentSpanId} {string.Join(",", s.TagObjects.Select(t => t.Key + "=" + t.Value))}"));
        server.ShouldNotBeNull($"the gateway's HTTP server span joins the caller's trace; spans in it:\n{seen}");
        send.ShouldNotBeNull($"the gateway's send of the command is in the trace; spans in it:\n{seen}");
        handler.ShouldNotBeNull($"the credentials handler is in the trace (its context crossed RabbitMQ); spans in it:\n{seen}");
        reply.ShouldNotBeNull($"the reply's receipt at the gateway is in the trace (back across RabbitMQ); spans in it:\n{seen}");
        spans.Where(IsPostgres).ShouldNotBeEmpty($"PostgreSQL commands are in the trace; spans in it:\n{seen}");

        // Not merely the same trace id: each hop hangs under the one before. Wolverine gives the envelope the context
        // current when the command is sent (the request's span), so the handler is the send span's sibling.
        IsDescendant(send, server, spans).ShouldBeTrue(seen);
        IsDescendant(handler, server, spans).ShouldBeTrue(seen);
        IsDescendant(reply, handler, spans).ShouldBeTrue(seen);
        // The handler's own database work (Marten's append and the durable inbox/outbox) hangs under the handler.
        spans.Where(IsPostgres).Any(db => IsDescendant(db, handler, spans)).ShouldBeTrue(seen);
    }

    private static string MessageType(Activity span) => span.GetTagItem("messaging.message_type") as string ?? "";

    private static bool IsPostgres(Activity span) => span.Source.Name == "Npgsql";

    private static bool IsDescendant(Activity span, Activity ancestor, IReadOnlyList<Activity> spans)
    {
        var byId = spans.ToDictionary(s => s.SpanId);
        for (var current = span; current.ParentSpanId != default; )
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
            if (!byId.TryGetValue(current.ParentSpanId, out current!)) return false;
        }
        return false;
    }
}
