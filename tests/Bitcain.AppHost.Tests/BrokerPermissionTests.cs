using System.Text;
using Bitcain.LocalServers;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests;

/// <summary>The users the AppHost gives its private node, checked against the node itself with a plain AMQP client.</summary>
public sealed class BrokerPermissionTests : IAsyncLifetime
{
    private const int AccessRefused = 403;
    private const string CredentialCommands = "bitcain.credentials.commands";
    private const string CredentialQueries = "bitcain.credentials.queries";
    private readonly string folder = Machine.NewTempFolder("broker-users");
    private RabbitMqServer node = null!;

    public async Task InitializeAsync()
    {
        node = await RabbitMqServer.StartAsync(Path.Combine(folder, "rabbitmq"), FreePort.Next(), FreePort.Next(), FreePort.Next());
        // What the credentials service declares when it starts.
        await using var admin = await Connect(BrokerUser.AdministratorName);
        await using var channel = await admin.CreateChannelAsync();
        await channel.QueueDeclareAsync(CredentialCommands, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(CredentialQueries, durable: true, exclusive: false, autoDelete: false);
        await channel.ExchangeDeclareAsync("bitcain.events", ExchangeType.Topic, durable: true);
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task the_gateway_sends_to_a_service_command_queue_but_may_not_consume_it_while_the_service_may()
    {
        await using (var gateway = await Connect(BrokerUser.ForService("gateway")))
        {
            await using (var channel = await gateway.CreateChannelAsync(new CreateChannelOptions(true, true)))
                await channel.BasicPublishAsync("", CredentialCommands, mandatory: true, new BasicProperties { Type = "test.v1" }, Encoding.UTF8.GetBytes("{}"));

            foreach (var queue in new[] { CredentialCommands, CredentialQueries })
            {
                await using var channel = await gateway.CreateChannelAsync();
                var refused = await Should.ThrowAsync<OperationInterruptedException>(
                    () => channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(channel)));
                refused.ShutdownReason!.ReplyCode.ShouldBe((ushort)AccessRefused, refused.Message);
                refused.Message.ShouldContain("ACCESS_REFUSED");
            }
        }

        await using var credentials = await Connect(BrokerUser.ForService("credentials"));
        await using var consuming = await credentials.CreateChannelAsync();
        (await consuming.BasicConsumeAsync(CredentialCommands, autoAck: false, new AsyncEventingBasicConsumer(consuming))).ShouldNotBeNullOrEmpty();
        await using var reading = await credentials.CreateChannelAsync();
        (await reading.BasicGetAsync(CredentialQueries, autoAck: true)).ShouldBeNull();
    }

    [Fact]
    public async Task an_integration_reads_only_its_own_queue_bound_to_the_events_and_guest_is_gone()
    {
        await using (var integration = await Connect("bitcain-integration-example"))
        {
            await using (var channel = await integration.CreateChannelAsync())
            {
                await channel.QueueDeclareAsync("bitcain.integration.example.events", durable: true, exclusive: false, autoDelete: false);
                await channel.QueueBindAsync("bitcain.integration.example.events", "bitcain.events", "bitcain.credentials.#");
                (await channel.BasicGetAsync("bitcain.integration.example.events", autoAck: true)).ShouldBeNull();
                await channel.BasicPublishAsync("", CredentialCommands, Encoding.UTF8.GetBytes("{}"));
            }
            await using (var channel = await integration.CreateChannelAsync())
                (await Should.ThrowAsync<OperationInterruptedException>(() => channel.BasicGetAsync(CredentialCommands, autoAck: true)))
                    .ShutdownReason!.ReplyCode.ShouldBe((ushort)AccessRefused);
        }

        var guest = new ConnectionFactory { Uri = new Uri($"amqp://guest:guest@127.0.0.1:{node.AmqpPort}/") };
        await Should.ThrowAsync<BrokerUnreachableException>(() => guest.CreateConnectionAsync());
    }

    [Fact]
    public void the_clusters_definitions_give_every_bitcain_user_the_rights_the_local_node_gives_it()
    {
        using var definitions = System.Text.Json.JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "ops/cluster/k8s/rabbitmq/definitions.json")));
        var cluster = definitions.RootElement.GetProperty("permissions").EnumerateArray().ToDictionary(
            p => p.GetProperty("user").GetString()!,
            p => (p.GetProperty("configure").GetString(), p.GetProperty("write").GetString(), p.GetProperty("read").GetString()));
        foreach (var user in BrokerUser.All.Where(u => u.Name != BrokerUser.AdministratorName))
            cluster.GetValueOrDefault(user.Name).ShouldBe((user.Configure, user.Write, user.Read), user.Name);
    }

    private Task<IConnection> Connect(string user) =>
        new ConnectionFactory { Uri = new Uri(node.ConnectionStringFor(user)) }.CreateConnectionAsync();
}
