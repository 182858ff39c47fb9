using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.RotatingMasterKey;
using Bitcain.Credentials.ScrubbingSealedCommands;
using Bitcain.Secrets;
using Bitcain.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using Shouldly;
using Wolverine;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>After a DELETE, no copy of the credential's sealed fields is left that the service's keys could open.</summary>
[Collection(CredentialsCollection.Name)]
public sealed class ShreddingTests(CredentialsFixture fixture)
{
    private BitcainSuite Suite => fixture.Suite;

    /// <summary>Sealed boxes in the inbox and dead-letter rows of store/update commands naming <paramref name="id"/>.</summary>
    private async Task<(int Inbox, int DeadLetters)> SealedCopiesAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(Suite.Infrastructure.Postgres);
        await connection.OpenAsync();
        var counts = new List<int>();
        foreach (var table in new[] { "wolverine_incoming_envelopes", "wolverine_dead_letters" })
        {
            await using var select = new NpgsqlCommand($"SELECT body FROM credentials_messages.{table} WHERE message_type LIKE 'bitcain.credentials.%-credential.v1'", connection);
            await using var reader = await select.ExecuteReaderAsync();
            var sealedBoxes = 0;
            while (await reader.ReadAsync())
            {
                var text = SealedCommandScrubber.Read((byte[])reader[0]).Message;
                if (!text.Contains(id.ToString())) continue;
                if (JsonNode.Parse(text)!["sealed"] is JsonObject boxes) sealedBoxes += boxes.Count(b => b.Value is not null);
            }
            counts.Add(sealedBoxes);
        }
        return (counts[0], counts[1]);
    }

    /// <summary>An update another system sends that cannot be read (is_active is no boolean): Wolverine dead-letters it.</summary>
    private async Task<string> SendUnreadableUpdateAsync(string user, Guid id)
    {
        var vault = Suite.Credentials.Services.GetRequiredService<CredentialVault>();
        var box = SealedBox.Seal(vault.SealingKey.PublicKey, "DEADLETTERKEY-123", SealingContext.For(user, SealedFields.ApiKeyField));
        var body = JsonSerializer.Serialize(new
        {
            credential_id = id,
            @sealed = new
            {
                api_key = box,
                api_secret = (string?)null,
                api_passphrase = (string?)null,
            },
            is_active = "perhaps",
        });
        await using var connection = await new ConnectionFactory { Uri = new Uri(Suite.Infrastructure.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Type = "bitcain.credentials.update-credential.v1",
            MessageId = Guid.NewGuid().ToString(),
            DeliveryMode = DeliveryModes.Persistent,
            Headers = new Dictionary<string, object?> { [BusTopology.UserHeader] = user },
        };
        await channel.BasicPublishAsync("", BusTopology.CredentialCommands, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
        return box;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException(what);
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task after_a_delete_no_retained_or_dead_lettered_command_holds_a_sealed_field_of_that_credential()
    {
        var api = Api.NewUser(Suite.Gateway);
        var id = Guid.Parse(await api.StoreAsync(Api.Credential()));
        (await api.PutAsync($"/api/exchange/credentials/{id}", new { api_key = "ROTATED-KEY-12345678" })).Status.ShouldBe(200);
        var box = await SendUnreadableUpdateAsync(api.User, id);
        await EventuallyAsync(async () => (await SealedCopiesAsync(id)) is { Inbox: >= 2, DeadLetters: >= 1 },
            $"the store and update should be retained and the unreadable update dead-lettered first: {await SealedCopiesAsync(id)}");

        (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(200);

        // The documented bound: the scrub runs as soon as the delete has committed.
        await EventuallyAsync(async () => await SealedCopiesAsync(id) == (0, 0),
            $"sealed fields of the deleted credential are still kept: {await SealedCopiesAsync(id)}", seconds: 10);
        (await DatabaseDump.DumpAsync(Suite.Infrastructure.Postgres)).ShouldNotContain(box);
        (await DeadLetterQueueMessagesAsync()).ShouldAllBe(m => !m.Contains(box), "nothing of it went to RabbitMQ's dead-letter queue either");
    }

    private async Task<List<string>> DeadLetterQueueMessagesAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Suite.Infrastructure.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var bodies = new List<string>();
        try
        {
            // Read without consuming: every message is returned to the queue when the channel closes.
            while (await channel.BasicGetAsync("wolverine-dead-letter-queue", autoAck: false) is { } message)
                bodies.Add(Encoding.UTF8.GetString(message.Body.Span));
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) { }
        return bodies;
    }

    [Fact]
    public async Task the_sweep_scrubs_handled_inbox_rows_and_dead_letters_older_than_the_grace()
    {
        var api = Api.NewUser(Suite.Gateway);
        var id = Guid.Parse(await api.StoreAsync(Api.Credential()));
        await SendUnreadableUpdateAsync(api.User, id);
        await EventuallyAsync(async () => (await SealedCopiesAsync(id)).DeadLetters >= 1, "the unreadable update should be dead-lettered");
        var scrubber = Suite.Credentials.Services.GetRequiredService<SealedCommandScrubber>();

        await scrubber.SweepAsync(DateTimeOffset.UtcNow, TimeSpan.FromHours(24), CancellationToken.None);
        var within = await SealedCopiesAsync(id);
        within.Inbox.ShouldBe(0, "a handled command's body serves no de-duplication");
        within.DeadLetters.ShouldBeGreaterThan(0, "a fresh dead letter is left for an operator to replay");

        await scrubber.SweepAsync(DateTimeOffset.UtcNow.AddHours(25), TimeSpan.FromHours(24), CancellationToken.None);
        (await SealedCopiesAsync(id)).DeadLetters.ShouldBe(0);
    }

    [Fact]
    public async Task a_rotation_that_read_a_data_key_before_its_credential_was_deleted_does_not_bring_it_back()
    {
        var api = Api.NewUser(Suite.Gateway);
        var id = Guid.Parse(await api.StoreAsync(Api.Credential()));
        var store = Suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        CredentialDataKey read;
        await using (var session = store.QuerySession(api.User))
            read = (await session.LoadAsync<CredentialDataKey>(id))!;

        (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(200);
        var oldKey = MasterKey.Parse(BitcainSuite.TestMasterKey, "old");
        var rotated = await MasterKeyRotation.RewrapOneAsync(store, api.User, read, new CredentialVault(oldKey), CancellationToken.None);

        rotated.ShouldBeFalse();
        await using (var session = store.QuerySession(api.User))
            (await session.LoadAsync<CredentialDataKey>(id)).ShouldBeNull("the shredded data key stays shredded");
    }

    [Fact]
    public async Task deletes_racing_a_rotation_leave_every_deleted_credential_unreadable()
    {
        var api = Api.NewUser(Suite.Gateway);
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++) ids.Add(Guid.Parse(await api.StoreAsync(Api.Credential(name: $"Race {i}"))));
        var store = Suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        var oldKey = MasterKey.Parse(BitcainSuite.TestMasterKey, "old");
        var newKey = MasterKey.Parse(MasterKey.Generate(), "new");
        var deleted = ids.Where((_, i) => i % 2 == 0).ToList();

        try
        {
            var rotation = Task.Run(() => MasterKeyRotation.RewrapAllAsync(store, new CredentialVault(newKey, [oldKey]), CancellationToken.None));
            var deletes = deleted.Select(async id => (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(200));
            await Task.WhenAll([rotation, .. deletes]);
        }
        finally
        {
            await MasterKeyRotation.RewrapAllAsync(store, new CredentialVault(oldKey, [newKey]), CancellationToken.None);
        }

        await using var session = store.QuerySession(api.User);
        foreach (var id in deleted)
            (await session.LoadAsync<CredentialDataKey>(id)).ShouldBeNull($"{id} was deleted and must stay unreadable");
        using var scope = Suite.Credentials.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var id in deleted)
            (await bus.InvokeForTenantAsync<SealedCredentialReply>(api.User, new GetSealedCredential(id, "binance"))).Found.ShouldBeFalse();
        foreach (var id in ids.Except(deleted))
            (await session.LoadAsync<CredentialDataKey>(id)).ShouldNotBeNull();
    }
}
