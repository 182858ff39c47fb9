using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.Contracts;
using Bitcain.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>
/// Another system with nothing but an AMQP client: it binds a queue of its own to the events exchange, reads
/// the integration events, and sends a command exactly as the README describes it.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class PlainAmqpClientTests(BitcainSuite suite)
{
    [Fact]
    public async Task a_plain_amqp_client_consumes_credential_events_and_sends_a_command()
    {
        var user = "amqp-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ApiClient(suite.Gateway, TestTokens.For(user));
        var factory = new ConnectionFactory { Uri = new Uri(suite.Infrastructure.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, BusTopology.Events, "bitcain.credentials.#");
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string RoutingKey, string? Type, JsonNode Body)>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.Enqueue((delivery.RoutingKey, delivery.BasicProperties.Type, JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span))!));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var (status, created, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "kraken"));
        status.ShouldBe(201);
        var credentialId = created!["id"]!.GetValue<string>();
        var stored = await NextAsync(received, "bitcain.credentials.credential-stored.v1", credentialId);
        stored.Type.ShouldBe("bitcain.credentials.credential-stored.v1");
        stored.Body["user_id"]!.GetValue<string>().ShouldBe(user);
        stored.Body.ToJsonString().ShouldNotContain("AKIAKEY1234567890");

        // Exactly the README's example: snake_case JSON, the message name in the AMQP type, the user in a header, and
        // the integration's own assertion that it acts for that user with this very message.
        var body = JsonSerializer.Serialize(new
        {
            credential_id = credentialId,
            credential_name = "Renamed by another system",
            @sealed = new { api_key = (string?)null, api_secret = (string?)null, api_passphrase = (string?)null },
            is_active = false,
        });
        var messageId = Guid.NewGuid();
        const string type = "bitcain.credentials.update-credential.v1";
        var now = DateTimeOffset.UtcNow;
        var assertion = Bitcain.ServiceDefaults.BusIdentity.BusAssertion.Sign(new Bitcain.ServiceDefaults.BusIdentity.BusClaims(
            TestBusIdentities.Integration, user, messageId.ToString(), type,
            Bitcain.ServiceDefaults.BusIdentity.BusAssertion.BodyHash(Encoding.UTF8.GetBytes(body)), null,
            now.ToUnixTimeSeconds(), now.AddHours(24).ToUnixTimeSeconds()), TestBusIdentities.IntegrationKey);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Persistent = true,
            MessageId = messageId.ToString(),
            Type = type,
            Headers = new Dictionary<string, object?> { [BusTopology.UserHeader] = user, ["bitcain-identity"] = assertion },
        };
        await channel.BasicPublishAsync("", BusTopology.CredentialCommands, mandatory: true, properties, Encoding.UTF8.GetBytes(body));

        var changed = await NextAsync(received, "bitcain.credentials.credential-changed.v1", credentialId);
        changed.Body["credential_name"]!.GetValue<string>().ShouldBe("Renamed by another system");
        changed.Body["is_active"]!.GetValue<bool>().ShouldBeFalse();
        await NextAsync(received, "bitcain.credentials.credential-deactivated.v1", credentialId);

        var (_, detail, _) = await api.GetAsync($"/api/exchange/credentials/{credentialId}");
        detail!["credential_name"]!.GetValue<string>().ShouldBe("Renamed by another system");
        detail["is_active"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task a_command_without_a_user_header_is_refused_and_changes_nothing()
    {
        var user = "amqp-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ApiClient(suite.Gateway, TestTokens.For(user));
        var (_, created, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential());
        var credentialId = created!["id"]!.GetValue<string>();

        var factory = new ConnectionFactory { Uri = new Uri(suite.Infrastructure.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { ContentType = "application/json", Type = "bitcain.credentials.delete-credential.v1" };
        await channel.BasicPublishAsync("", BusTopology.CredentialCommands, mandatory: true, properties,
            Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { credential_id = credentialId })));
        await Task.Delay(2000);

        (await api.GetAsync($"/api/exchange/credentials/{credentialId}")).Status.ShouldBe(200);
    }

    private static async Task<(string RoutingKey, string? Type, JsonNode Body)> NextAsync(
        System.Collections.Concurrent.ConcurrentQueue<(string RoutingKey, string? Type, JsonNode Body)> received, string routingKey, string credentialId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var match = received.FirstOrDefault(m => m.RoutingKey == routingKey && m.Body["credential_id"]?.GetValue<string>() == credentialId);
            if (match.Body is not null) return match;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no {routingKey} for {credentialId}; got: {string.Join(", ", received.Select(m => m.RoutingKey))}");
    }
}
