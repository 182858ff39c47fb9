using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.RotatingMasterKey;
using Bitcain.Secrets;
using Bitcain.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class MasterKeyTests(CredentialsFixture fixture)
{
    [Fact]
    public async Task rotating_the_master_key_rewraps_every_data_key_without_touching_an_event()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var key = "ROTATEKEY" + Guid.NewGuid().ToString("N");
        var id = Guid.Parse(await api.StoreAsync(Api.Credential(key: key, secret: "ROTATESECRET-123456")));
        var store = fixture.Suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        await api.WaitForAsync(id.ToString(), c => c["validation_status"]!.GetValue<string>() != "pending");

        var oldKey = MasterKey.Parse(BitcainSuite.TestMasterKey, "old");
        var newKey = MasterKey.Parse(MasterKey.Generate(), "new");
        long eventsBefore;
        await using (var session = store.QuerySession(api.User))
            eventsBefore = (await session.Events.FetchStreamAsync(id)).Count;

        var result = await MasterKeyRotation.RewrapAllAsync(store, new CredentialVault(newKey, [oldKey]), CancellationToken.None);
        try
        {
            result.Rewrapped.ShouldBeGreaterThan(0);
            await using var session = store.QuerySession(api.User);
            var view = (await session.LoadAsync<CredentialView>(id))!;
            var dataKey = (await session.LoadAsync<CredentialDataKey>(id))!.Key;
            dataKey.MasterKeyId.ShouldBe(newKey.Id);
            new CredentialVault(newKey).Open(id, view.Secrets, dataKey).ApiKey.ShouldBe(key, "the new key alone opens it");
            Should.Throw<SecretsUnavailableException>(() => new CredentialVault(oldKey).Open(id, view.Secrets, dataKey));
            (await session.Events.FetchStreamAsync(id)).Count.ShouldBe((int)eventsBefore, "no event was written or rewritten");

            var again = await MasterKeyRotation.RewrapAllAsync(store, new CredentialVault(newKey, [oldKey]), CancellationToken.None);
            again.Rewrapped.ShouldBe(0, "running it twice is harmless");
        }
        finally
        {
            // The running service still has the old key: hand every data key back to it.
            await MasterKeyRotation.RewrapAllAsync(store, new CredentialVault(oldKey, [newKey]), CancellationToken.None);
        }
    }

    [Fact]
    public async Task the_sync_service_gets_the_active_credential_sealed_and_reports_use_and_validation_back()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var older = await api.StoreAsync(Api.Credential(name: "Older", key: "OLDERKEY-12345678"));
        var newer = await api.StoreAsync(Api.Credential(name: "Newer", key: "NEWERKEY-12345678"));
        using var scope = fixture.Suite.Credentials.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var vault = fixture.Suite.Credentials.Services.GetRequiredService<CredentialVault>();

        var active = await bus.InvokeForTenantAsync<SealedCredentialReply>(api.User, new GetSealedCredential(null, "Binance"));
        active.Found.ShouldBeTrue();
        active.CredentialId.ShouldBe(Guid.Parse(newer));
        vault.Open(active.CredentialId!.Value, active.Secrets!, active.DataKey!).ApiKey.ShouldBe("NEWERKEY-12345678");

        var named = await bus.InvokeForTenantAsync<SealedCredentialReply>(api.User, new GetSealedCredential(Guid.Parse(older), "binance"));
        vault.Open(named.CredentialId!.Value, named.Secrets!, named.DataKey!).ApiKey.ShouldBe("OLDERKEY-12345678");
        (await bus.InvokeForTenantAsync<SealedCredentialReply>(api.User, new GetSealedCredential(Guid.Parse(older), "kraken"))).Found.ShouldBeFalse();
        (await bus.InvokeForTenantAsync<SealedCredentialReply>("someone-else", new GetSealedCredential(Guid.Parse(older), "binance"))).Found.ShouldBeFalse();

        var usedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await bus.InvokeForTenantAsync(api.User, new RecordCredentialUse(Guid.Parse(newer), usedAt));
        await api.WaitForAsync(newer, c => c["validation_status"]!.GetValue<string>() != "pending");
        await bus.InvokeForTenantAsync(api.User, new RecordCredentialValidation(Guid.Parse(newer), "auth_error", "Invalid API-key", [], DateTimeOffset.UtcNow));
        var (_, detail) = await api.GetAsync($"/api/exchange/credentials/{newer}");
        DateTimeOffset.Parse(detail.S("last_used")).ShouldBe(usedAt);
        detail.S("validation_status").ShouldBe("invalid");
        detail.S("validation_error").ShouldBe("Invalid API-key");

        await api.PutAsync($"/api/exchange/credentials/{newer}", new { is_active = false });
        (await bus.InvokeForTenantAsync<SealedCredentialReply>(api.User, new GetSealedCredential(null, "binance"))).CredentialId.ShouldBe(Guid.Parse(older),
            "a deactivated credential is never picked as the active one");
    }
}
