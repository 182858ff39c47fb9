using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class IntegrationEventTests(CredentialsFixture fixture)
{
    [Fact]
    public async Task stored_changed_deactivated_and_deleted_are_published_to_bitcain_events_under_their_names()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential());
        await api.PutAsync($"/api/exchange/credentials/{id}", new { is_active = false, credential_name = "Paused" });
        await api.DeleteAsync($"/api/exchange/credentials/{id}");

        string[] expected =
        [
            "bitcain.credentials.credential-stored.v1",
            "bitcain.credentials.credential-changed.v1",
            "bitcain.credentials.credential-deactivated.v1",
            "bitcain.credentials.credential-deleted.v1",
        ];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<string> mine;
        while (true)
        {
            mine = fixture.EventBodies.Where(b => b.Contains(id)).ToList();
            if (expected.All(name => mine.Any(b => b.StartsWith(name + " "))) || DateTime.UtcNow > deadline) break;
            await Task.Delay(100);
        }
        foreach (var name in expected) mine.ShouldContain(b => b.StartsWith(name + " "), $"{name} never reached a queue bound to bitcain.events");

        var changed = mine.First(b => b.StartsWith(expected[1]));
        changed.ShouldContain($"\"user_id\":\"{api.User}\"");
        changed.ShouldContain("credential_renamed.v1");
        changed.ShouldContain("credential_deactivated.v1");
    }

    [Fact]
    public async Task the_audit_reads_each_stream_type_from_its_owner_and_merges_them()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential(exchange: "kraken"));

        var (status, sync) = await api.GetAsync("/api/audit/events?stream=sync");
        status.ShouldBe(200, sync?.ToJsonString());
        sync!["events"]!.AsArray().ShouldAllBe(e => e!["event_type"]!.GetValue<string>().StartsWith("credential_") == false);
        (await api.GetAsync("/api/audit/events?stream=market")).Body!["events"]!.AsArray().ShouldBeEmpty();

        var (_, all) = await api.GetAsync("/api/audit/events");
        all!["events"]!.AsArray().ShouldContain(e => e!["credential_id"]!.GetValue<string>() == id);
        (await api.GetAsync("/api/audit/events?exchange=binance")).Body!["events"]!.AsArray().ShouldBeEmpty("the only credential is on kraken");
        (await api.GetAsync("/api/audit/events?end_date=2000-01-01T00:00:00Z")).Body!["events"]!.AsArray().ShouldBeEmpty();
        var (_, byKraken) = await api.GetAsync("/api/audit/events?exchange=kraken&start_date=2000-01-01T00:00:00Z");
        byKraken!["events"]!.AsArray().ShouldAllBe(e => e!["exchange"]!.GetValue<string>() == "kraken");
        byKraken["events"]!.AsArray().Count.ShouldBeGreaterThan(0);
    }
}
