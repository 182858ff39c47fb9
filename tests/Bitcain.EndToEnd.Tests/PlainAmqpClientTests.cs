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
/// Another system with nothing but an AMQP client: it binds a queue of its own to the events exchange, sends
/// a command as the README describes it, and reads the integration event. Proves the documented bus contract.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class PlainAmqpClientTests(BitcainSuite suite)
{
    [Fact]
    public async Task a_plain_amqp_client_sends_store_credential_and_consumes_credential_stored()
    {
        var user = "amqp-" + Guid.NewGuid().ToString("N")[..8];
        var credentialId = Guid.NewGuid();
        var factory = new ConnectionFactory { Uri = new Uri(suite.Infrastructure.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var queue = (await channel.QueueDeclareAsync("other-system-" + Guid.NewGuid().ToString("N")[..8], durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, BusTopology.Events, "bitcain.credentials.credential-stored.v1");
        var received = new TaskCompletionSource<(string RoutingKey, string? Type, string Body)>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.TrySetResult((delivery.RoutingKey, delivery.BasicProperties.Type, Encoding.UTF8.GetString(delivery.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        // Exactly the README's example: snake_case JSON, the message name in the AMQP type, the user in a header.
        var body = JsonSerializer.Serialize(new
        {
            credential_id = credentialId,
            exchange_name = "kraken",
            credential_name = "From another system",
            api_key_masked = "abcd****wxyz",
            has_passphrase = false,
            permissions = new[] { "read" },
            ip_whitelist = Array.Empty<string>(),
            exchange_metadata = (object?)null,
        });
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Persistent = true,
            MessageId = Guid.NewGuid().ToString(),
            Type = "bitcain.credentials.store-credential.v1",
            Headers = new Dictionary<string, object?> { [BusTopology.UserHeader] = user },
        };
        await channel.BasicPublishAsync("", BusTopology.CredentialCommands, mandatory: true, properties, Encoding.UTF8.GetBytes(body));

        if (await Task.WhenAny(received.Task, Task.Delay(20000)) != received.Task)
            throw new Xunit.Sdk.XunitException((await new ApiClient(suite.Gateway, TestTokens.For(user)).GetAsync($"/api/exchange/credentials/{credentialId}")).Status + "\n" + string.Join("\n", suite.Logs.Lines.TakeLast(15).Select(l => l.Length > 600 ? l[..600] : l)));
        var (routingKey, type, eventBody) = await received.Task;
        routingKey.ShouldBe("bitcain.credentials.credential-stored.v1");
        type.ShouldBe("bitcain.credentials.credential-stored.v1");
        var stored = JsonNode.Parse(eventBody)!;
        stored["credential_id"]!.GetValue<Guid>().ShouldBe(credentialId);
        stored["user_id"]!.GetValue<string>().ShouldBe(user);
        stored["exchange_name"]!.GetValue<string>().ShouldBe("kraken");

        // And the REST side sees it in that user's list.
        var api = new ApiClient(suite.Gateway, TestTokens.For(user));
        (await api.GetAsync($"/api/exchange/credentials/{credentialId}")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task a_command_without_a_user_header_is_refused_and_stores_nothing()
    {
        var credentialId = Guid.NewGuid();
        var factory = new ConnectionFactory { Uri = new Uri(suite.Infrastructure.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var body = JsonSerializer.Serialize(new
        {
            credential_id = credentialId, exchange_name = "kraken", credential_name = "Nobody's", api_key_masked = "****",
            has_passphrase = false, permissions = new[] { "read" }, ip_whitelist = Array.Empty<string>(),
        });
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Type = "bitcain.credentials.store-credential.v1",
        };
        await channel.BasicPublishAsync("", BusTopology.CredentialCommands, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
        await Task.Delay(2000);

        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Marten.IDocumentStore>(suite.Credentials.Services);
        await using var session = store.QuerySession("*DEFAULT*");
        (await session.Events.FetchStreamStateAsync(credentialId)).ShouldBeNull();
    }
}
