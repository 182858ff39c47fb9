using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class IsolationTests(CredentialsFixture fixture)
{
    [Fact]
    public async Task another_user_gets_404_on_every_credential_and_audit_endpoint_and_never_sees_them_listed()
    {
        var owner = Api.NewUser(fixture.Suite.Gateway);
        var stranger = Api.NewUser(fixture.Suite.Gateway);
        var id = await owner.StoreAsync(Api.Credential());
        await owner.PutAsync($"/api/exchange/credentials/{id}", new { credential_name = "Renamed" });

        (await stranger.GetAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(404);
        (await stranger.PutAsync($"/api/exchange/credentials/{id}", new { credential_name = "Mine now" })).Status.ShouldBe(404);
        (await stranger.GetAsync($"/api/exchange/credentials/{id}/events")).Status.ShouldBe(404);
        (await stranger.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(404);

        (await stranger.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(0);
        var (_, audit) = await stranger.GetAsync("/api/audit/events");
        audit!["events"]!.AsArray().ShouldBeEmpty();
        (await stranger.GetAsync($"/api/audit/events?credential_id={id}")).Body!["events"]!.AsArray().ShouldBeEmpty();

        var (_, mine) = await owner.GetAsync($"/api/exchange/credentials/{id}");
        mine.S("credential_name").ShouldBe("Renamed", "the stranger's change and delete did nothing");
        (await owner.GetAsync("/api/audit/events")).Body!["events"]!.AsArray().Count.ShouldBeGreaterThanOrEqualTo(2);
    }
}
