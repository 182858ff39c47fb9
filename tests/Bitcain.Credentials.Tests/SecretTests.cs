using Bitcain.Testing;
using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Secrets;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Wolverine.Tracking;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class SecretTests(CredentialsFixture fixture)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task after_a_full_lifecycle_no_clear_key_secret_or_passphrase_is_in_any_response_log_message_or_database_row()
    {
        var suite = fixture.Suite;
        var api = Api.NewUser(suite.Gateway);
        string[] secrets = [Unique("KEY1"), Unique("SECRET1"), Unique("PASS1"), Unique("KEY2"), Unique("SECRET2"), Unique("PASS2")];
        string? id = null;

        // Every message the gateway and the credential service send or receive, as objects: what went on the bus.
        var tracked = await suite.Gateway.TrackActivity()
            .AlsoTrack(suite.Credentials, suite.Sync)
            // Integration events go to bitcain.events, where no tracked host consumes them: the test queue reads those.
            .IgnoreMessagesMatchingType(t => t.Name.EndsWith("V1", StringComparison.Ordinal))
            .Timeout(TimeSpan.FromSeconds(60))
            .DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                var body = Api.Credential(key: secrets[0], secret: secrets[1]);
                body["api_passphrase"] = secrets[2];
                id = await api.StoreAsync(body);
                await api.PostAsync("/api/exchange/validate", new { exchange = "binance", api_key = secrets[0], api_secret = secrets[1], api_passphrase = secrets[2] });
                await api.GetAsync($"/api/exchange/credentials/{id}");
                await api.PutAsync($"/api/exchange/credentials/{id}", new { api_key = secrets[3], api_secret = secrets[4], api_passphrase = secrets[5] });
                await api.GetAsync("/api/exchange/credentials");
                await api.GetAsync($"/api/exchange/credentials/{id}/events");
                await api.GetAsync("/api/audit/events");
            }));

        var messages = tracked.AllRecordsInOrder()
            .Where(r => r.Envelope?.Message is not null)
            .Select(r => r.Envelope!.Message!.GetType().Name + " " + JsonSerializer.Serialize(r.Envelope.Message, r.Envelope.Message!.GetType()))
            .ToList();
        messages.ShouldContain(m => m.StartsWith(nameof(StoreCredential)), "the scan must see the store command");
        messages.ShouldContain(m => m.StartsWith(nameof(UpdateCredential)));
        messages.ShouldContain(m => m.StartsWith(nameof(ValidateKey)));

        var dump = await DatabaseDump.DumpAsync(suite.Infrastructure.Postgres);
        dump.ShouldContain(id!, customMessage: "the dump must hold the credential for the scan to mean anything");
        await WaitForEventsAsync(id!);

        foreach (var secret in secrets)
        {
            api.Responses.ShouldAllBe(r => !r.Contains(secret));
            suite.Logs.Lines.ShouldAllBe(l => !l.Contains(secret));
            messages.ShouldAllBe(m => !m.Contains(secret));
            fixture.EventBodies.ShouldAllBe(b => !b.Contains(secret));
            dump.ShouldNotContain(secret);
        }

        (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(200);
        var afterDelete = await DatabaseDump.DumpAsync(suite.Infrastructure.Postgres);
        foreach (var secret in secrets) afterDelete.ShouldNotContain(secret);
    }

    private async Task WaitForEventsAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!fixture.EventBodies.Any(b => b.Contains(id) && b.StartsWith("bitcain.credentials.credential-changed.v1")))
        {
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException("no credential-changed event reached the test queue on bitcain.events");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task after_delete_the_data_key_is_gone_and_the_old_events_can_no_longer_be_decrypted()
    {
        var suite = fixture.Suite;
        var api = Api.NewUser(suite.Gateway);
        var key = Unique("SHREDKEY");
        var id = Guid.Parse(await api.StoreAsync(Api.Credential(key: key, secret: Unique("SHREDSECRET"))));
        var store = suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        var vault = suite.Credentials.Services.GetRequiredService<CredentialVault>();

        SealedSecrets sealedInEvent;
        string wrapped;
        await using (var session = store.QuerySession(api.User))
        {
            var stored = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<CredentialStored>().Single();
            sealedInEvent = stored.Secrets;
            var dataKey = (await session.LoadAsync<CredentialDataKey>(id))!.Key;
            wrapped = dataKey.Ciphertext;
            vault.Open(id, sealedInEvent, dataKey).ApiKey.ShouldBe(key, "before the delete the event opens");
        }

        (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(200);

        await using (var session = store.QuerySession(api.User))
        {
            (await session.LoadAsync<CredentialDataKey>(id)).ShouldBeNull();
            (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<CredentialStored>().Single().Secrets.ShouldBe(sealedInEvent,
                "the events are kept for the audit; only the key is destroyed");
        }
        (await DatabaseDump.DumpAsync(suite.Infrastructure.Postgres)).ShouldNotContain(wrapped);

        // No other key opens it: not a fresh one, not another credential's.
        var otherId = Guid.NewGuid();
        Should.Throw<SecretsUnavailableException>(() => vault.Open(id, sealedInEvent, vault.WrapNewDataKey(id)));
        Should.Throw<SecretsUnavailableException>(() => vault.Open(id, sealedInEvent, vault.WrapNewDataKey(otherId)));

        using var scope = suite.Credentials.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var reply = await bus.InvokeForTenantAsync<SealedCredentialReply>(api.User, new GetSealedCredential(id, "binance"));
        reply.Found.ShouldBeFalse();
    }

    [Fact]
    public void secret_material_redacts_itself_and_a_field_sealed_for_one_user_does_not_open_for_another()
    {
        new SecretMaterial("KEY-IN-CLEAR", "SECRET-IN-CLEAR", "PASS").ToString().ShouldNotContain("CLEAR");

        var vault = fixture.Suite.Credentials.Services.GetRequiredService<CredentialVault>();
        var box = SealedBox.Seal(vault.SealingKey.PublicKey, "the secret", SealingContext.For("alice", "api_key"));
        vault.SealingKey.Open(box, SealingContext.For("alice", "api_key")).ShouldBe("the secret");
        Should.Throw<SecretsUnavailableException>(() => vault.SealingKey.Open(box, SealingContext.For("mallory", "api_key")));
        Should.Throw<SecretsUnavailableException>(() => vault.SealingKey.Open(box, SealingContext.For("alice", "api_secret")));
    }

    [Fact]
    public void fields_sealed_together_share_one_ephemeral_key_yet_each_opens_only_as_its_own_field_and_user()
    {
        var vault = fixture.Suite.Credentials.Services.GetRequiredService<CredentialVault>();
        using var recipient = new SealingRecipient(vault.SealingKey.PublicKey);
        var (key, secret) = (SealingContext.For("alice", "api_key"), SealingContext.For("alice", "api_secret"));
        var boxes = SealedBox.SealAll(recipient, [("the key", key), ("the secret", secret), (null, SealingContext.For("alice", "api_passphrase"))]);

        boxes[2].ShouldBeNull();
        Convert.FromBase64String(boxes[0]!).AsSpan(1, 65).SequenceEqual(Convert.FromBase64String(boxes[1]!).AsSpan(1, 65)).ShouldBeTrue(
            "one ephemeral point for the request's fields");
        boxes[0].ShouldNotBe(boxes[1]);
        // Together (one agreement) and alone (the box format is unchanged), each opens to its own field.
        vault.SealingKey.OpenAll([(boxes[0], key), (boxes[1], secret), (null, "unused")]).ShouldBe(["the key", "the secret", null]);
        vault.SealingKey.Open(boxes[1]!, secret).ShouldBe("the secret");
        // The shared box key does not let one field stand in for the other, or open for another user.
        Should.Throw<SecretsUnavailableException>(() => vault.SealingKey.OpenAll([(boxes[1], key)]));
        Should.Throw<SecretsUnavailableException>(() => vault.SealingKey.OpenAll([(boxes[0], key), (boxes[1], key)]));
        Should.Throw<SecretsUnavailableException>(() => vault.SealingKey.Open(boxes[0]!, SealingContext.For("mallory", "api_key")));
    }

    [Fact]
    public void a_service_refuses_to_start_without_a_master_key_in_any_environment()
    {
        var empty = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        foreach (var environment in new[] { "Development", "Production" })
            Should.Throw<InvalidOperationException>(() => VaultRegistration.VaultFrom(empty, environment)).Message.ShouldContain("Credentials:MasterKey");
        var shortKey = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Credentials:MasterKey"] = Convert.ToBase64String(new byte[16]) }).Build();
        Should.Throw<InvalidOperationException>(() => VaultRegistration.VaultFrom(shortKey, "Production")).Message.ShouldContain("32 bytes");
    }
}
