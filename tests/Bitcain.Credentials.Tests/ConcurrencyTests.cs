using Bitcain.Credentials.Credential;
using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class ConcurrencyTests(CredentialsFixture fixture)
{
    [Fact]
    public async Task concurrent_changes_of_one_credential_all_survive()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential());
        var url = $"/api/exchange/credentials/{id}";

        var answers = await Task.WhenAll(
            api.PutAsync(url, new { credential_name = "Renamed" }),
            api.PutAsync(url, new { permissions = new[] { "read" } }),
            api.PutAsync(url, new { ip_whitelist = new[] { "198.51.100.0/24" } }),
            api.PutAsync(url, new { exchange_metadata = new { sub_account = "x" } }),
            api.PutAsync(url, new { is_active = false }),
            api.PutAsync(url, new { api_passphrase = "a-new-passphrase" }));
        answers.ShouldAllBe(a => a.Status == 200);

        var (_, final) = await api.GetAsync(url);
        final.S("credential_name").ShouldBe("Renamed");
        final.Strings("permissions").ShouldBe(["read"]);
        final.Strings("ip_whitelist").ShouldBe(["198.51.100.0/24"]);
        final!["exchange_metadata"].S("sub_account").ShouldBe("x");
        final["is_active"]!.GetValue<bool>().ShouldBeFalse();
        final["has_passphrase"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task a_write_on_a_stream_that_moved_since_it_was_read_is_refused()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = Guid.Parse(await api.StoreAsync(Api.Credential()));
        // The background validation appends too; let it finish so only our two writers race.
        await api.WaitForAsync(id.ToString(), c => c.S("validation_status") != "pending");
        var store = fixture.Suite.Credentials.Services.GetRequiredService<IDocumentStore>();

        await using var first = store.LightweightSession(api.User);
        await using var second = store.LightweightSession(api.User);
        var a = await first.Events.FetchForWriting<CredentialView>(id);
        var b = await second.Events.FetchForWriting<CredentialView>(id);
        a.AppendOne(new CredentialRenamed(id, "first", DateTimeOffset.UtcNow));
        b.AppendOne(new CredentialRenamed(id, "second", DateTimeOffset.UtcNow));
        await first.SaveChangesAsync();
        var refused = await Should.ThrowAsync<Exception>(() => second.SaveChangesAsync());
        (refused is ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException).ShouldBeTrue(refused.GetType().Name);

        (await api.GetAsync($"/api/exchange/credentials/{id}")).Body.S("credential_name").ShouldBe("first");
    }
}
