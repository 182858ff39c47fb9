using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class LifecycleTests(CredentialsFixture fixture)
{
    [Fact]
    public async Task a_credential_is_stored_changed_field_by_field_deleted_and_its_audit_stays_readable()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential(name: "Main"));

        var (status, renamed) = await api.PutAsync($"/api/exchange/credentials/{id}", new { credential_name = "Trading" });
        status.ShouldBe(200, renamed?.ToJsonString());
        renamed.S("credential_name").ShouldBe("Trading");
        renamed.Strings("permissions").ShouldBe(["read", "trade"], "absent fields stay as they were");

        (status, var changed) = await api.PutAsync($"/api/exchange/credentials/{id}", new Dictionary<string, object?>
        {
            ["permissions"] = new[] { "read" },
            ["ip_whitelist"] = new[] { "10.0.0.0/24" },
            ["exchange_metadata"] = new { use_us = true },
            ["is_active"] = false,
        });
        status.ShouldBe(200);
        changed.Strings("permissions").ShouldBe(["read"]);
        changed.Strings("ip_whitelist").ShouldBe(["10.0.0.0/24"]);
        changed!["exchange_metadata"]!["use_us"]!.GetValue<bool>().ShouldBeTrue();
        changed["is_active"]!.GetValue<bool>().ShouldBeFalse();
        changed.S("credential_name").ShouldBe("Trading");

        (status, var rotated) = await api.PutAsync($"/api/exchange/credentials/{id}", new { api_key = "NEWKEY-0000-1111-2222", is_active = true });
        status.ShouldBe(200);
        rotated.S("validation_status").ShouldBe("pending", "a new key is not validated yet");
        var (_, detail) = await api.GetAsync($"/api/exchange/credentials/{id}");
        detail.S("api_key_masked").ShouldBe("NEWK*************2222");
        detail!["is_active"]!.GetValue<bool>().ShouldBeTrue();

        var (eventsStatus, events) = await api.GetAsync($"/api/exchange/credentials/{id}/events");
        eventsStatus.ShouldBe(200);
        var types = events!["events"]!.AsArray().Select(e => e.S("event_type")).ToList();
        types.ShouldContain("credential_stored.v1");
        types.ShouldContain("credential_renamed.v1");
        types.ShouldContain("credential_permissions_changed.v1");
        types.ShouldContain("credential_whitelist_changed.v1");
        types.ShouldContain("credential_metadata_changed.v1");
        types.ShouldContain("credential_deactivated.v1");
        types.ShouldContain("credential_activated.v1");
        types.ShouldContain("credential_key_rotated.v1");
        var first = events["events"]!.AsArray().Last()!;
        first.S("stream_id").ShouldBe(id);
        first.S("exchange").ShouldBe("binance");
        first.S("credential_id").ShouldBe(id);
        first["data"]!.S("credential_name").ShouldBe("Main");
        first["data"]!.AsObject().ContainsKey("secrets").ShouldBeFalse();

        var (deleteStatus, deleted) = await api.DeleteAsync($"/api/exchange/credentials/{id}");
        deleteStatus.ShouldBe(200);
        deleted!["success"]!.GetValue<bool>().ShouldBeTrue();
        deleted.S("deleted_id").ShouldBe(id);
        deleted.S("message").ShouldNotBeNullOrWhiteSpace();

        (await api.GetAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(404);
        (await api.PutAsync($"/api/exchange/credentials/{id}", new { credential_name = "x" })).Status.ShouldBe(404);
        (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(404);
        (await api.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(0);

        var (auditStatus, audit) = await api.GetAsync($"/api/exchange/credentials/{id}/events");
        auditStatus.ShouldBe(200, "the audit of a deleted credential stays readable");
        audit!["events"]![0].S("event_type").ShouldBe("credential_deleted.v1");

        var (allStatus, all) = await api.GetAsync($"/api/audit/events?stream=credential&credential_id={id}&limit=3&offset=1");
        allStatus.ShouldBe(200);
        all!["events"]!.AsArray().Count.ShouldBe(3);
        all["total_count"]!.GetValue<long>().ShouldBe(audit["events"]!.AsArray().Count);
        all["events"]![0].S("event_type").ShouldBe(audit["events"]![1].S("event_type"), "offset 1 skips the newest");
    }

    [Fact]
    public async Task a_name_already_used_on_that_exchange_is_a_409_for_store_and_rename_but_not_on_another_exchange()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        await api.StoreAsync(Api.Credential(name: "Main"));
        var other = await api.StoreAsync(Api.Credential(name: "Second"));
        await api.StoreAsync(Api.Credential(exchange: "kraken", name: "Main"));

        var (status, body) = await api.PostAsync("/api/exchange/credentials", Api.Credential(name: "main"));
        status.ShouldBe(409);
        body.S("detail").ShouldContain("already exists");

        (status, body) = await api.PutAsync($"/api/exchange/credentials/{other}", new { credential_name = "MAIN" });
        status.ShouldBe(409);
        body.S("detail").ShouldContain("already exists");
    }

    [Fact]
    public async Task an_unknown_or_malformed_credential_id_is_a_404_everywhere()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            (await api.GetAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(404);
            (await api.PutAsync($"/api/exchange/credentials/{id}", new { is_active = false })).Status.ShouldBe(404);
            (await api.DeleteAsync($"/api/exchange/credentials/{id}")).Status.ShouldBe(404);
            (await api.GetAsync($"/api/exchange/credentials/{id}/events")).Status.ShouldBe(404);
        }
    }
}
