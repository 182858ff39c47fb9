using System.Text.Json.Nodes;
using Bitcain.Client;
using Bitcain.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

[Collection(SuiteCollection.Name)]
public sealed class CredentialSliceTests(BitcainSuite suite)
{
    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task a_stored_credential_travels_to_its_stream_and_is_read_back_from_the_projection()
    {
        var user = NewUser();
        var wire = new WireRecorder();
        var api = Users.Client(suite.Gateway, TestTokens.For(user), wire);

        var created = await api.StoreCredentialsAsync(Users.NewCredential(exchange: "Binance_US"));
        var id = created.Id;
        created.UserId.ShouldBe(user);
        created.ExchangeName.ShouldBe("binanceus");
        created.CredentialName.ShouldBe("Main");
        created.Permissions.ShouldBe(["read", "trade"]);
        created.IpWhitelist.ShouldBe(["203.0.113.7", "2001:db8::/32"]);
        created.ExchangeMetadata.GetProperty("testnet").GetBoolean().ShouldBeTrue();
        created.IsActive.ShouldBeTrue();
        created.ValidationStatus.ShouldBe("pending");
        created.LastUsed.ShouldBeNull();
        JsonNode.Parse(wire.Last)!["created_at"]!.GetValue<string>().ShouldEndWith("Z");
        created.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
        created.AdditionalProperties.ShouldNotContainKey("api_key");
        created.AdditionalProperties.ShouldNotContainKey("api_key_masked", "the list shape has no masked key; the detail has");

        var list = await api.ListCredentialsAsync();
        list.TotalCount.ShouldBe(1);
        list.Credentials[0].Id.ShouldBe(id);

        var detail = await api.GetCredentialAsync(id);
        detail.ApiKeyMasked.ShouldBe("AKIA*********7890");
        detail.HasPassphrase.ShouldBeFalse();

        // The write went through the event store: a stream in this user's tenant that starts with the stored
        // event (background validation appends its outcome after it).
        var store = suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession(user);
        var events = await session.Events.FetchStreamAsync(Guid.Parse(id));
        events.First().EventTypeName.ShouldBe("credential_stored.v1");
        events.Count(e => e.EventTypeName == "credential_stored.v1").ShouldBe(1);
        await using var stranger = store.QuerySession("someone-else");
        (await stranger.Events.FetchStreamAsync(Guid.Parse(id))).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_update_changes_what_it_names_a_delete_removes_the_credential_and_the_audit_trail_tells_both()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        var created = await api.StoreCredentialsAsync(Users.NewCredential(exchange: "kraken"));

        var updated = await api.UpdateCredentialAsync(created.Id, new ExchangeCredentialUpdate
        {
            CredentialName = "Renamed",
            Permissions = [Permission.Read],
            IsActive = false,
        });
        updated.Id.ShouldBe(created.Id);
        updated.CredentialName.ShouldBe("Renamed");
        updated.Permissions.ShouldBe(["read"]);
        updated.IsActive.ShouldBeFalse();
        updated.IpWhitelist.ShouldBe(created.IpWhitelist, "an update changes only what it names");
        updated.UpdatedAt.ShouldBeGreaterThanOrEqualTo(created.UpdatedAt);
        (await api.GetCredentialAsync(created.Id)).CredentialName.ShouldBe("Renamed");

        var rotated = await api.UpdateCredentialAsync(created.Id, new ExchangeCredentialUpdate { ApiKey = "ROTATEDKEY-0123456789", ApiSecret = "rotated-secret-0123456789" });
        rotated.ValidationStatus.ShouldBe("pending", "a changed key or secret is validated again");
        (await api.GetCredentialAsync(created.Id)).ApiKeyMasked.ShouldBe("ROTA*************6789");

        var deleted = await api.DeleteCredentialAsync(created.Id);
        deleted.Success.ShouldBeTrue();
        deleted.DeletedId.ShouldBe(created.Id);
        (await Users.RefusedAsync(() => api.GetCredentialAsync(created.Id))).Status.ShouldBe(404);
        (await api.ListCredentialsAsync()).TotalCount.ShouldBe(0);

        var trail = await api.ListAuditEventsAsync(stream: "credential", credentialId: created.Id);
        var types = trail.Events.Select(e => e.EventType).ToList();
        types.ShouldContain("credential_stored.v1");
        types.ShouldContain("credential_renamed.v1");
        types.ShouldContain("credential_permissions_changed.v1");
        types.ShouldContain("credential_deactivated.v1");
        types.ShouldContain("credential_key_rotated.v1");
        types.ShouldContain("credential_deleted.v1");
        trail.Events.ShouldAllBe(e => e.CredentialId == Guid.Parse(created.Id) && e.Exchange == "kraken");
        trail.Events.Select(e => e.Timestamp).ShouldAllBe(t => t.Offset == TimeSpan.Zero);
        trail.Events.Select(e => e.Data.GetRawText()).ShouldAllBe(data => !data.Contains("rotated-secret-0123456789") && !data.Contains("ROTATEDKEY-0123456789"));
    }

    [Fact]
    public async Task the_list_filters_by_exchange_and_accepts_the_alias()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        await api.StoreCredentialsAsync(Users.NewCredential(exchange: "kraken"));
        await api.StoreCredentialsAsync(Users.NewCredential(exchange: "binanceus"));

        var kraken = await api.ListCredentialsAsync("KRAKEN");
        kraken.TotalCount.ShouldBe(1);
        kraken.Credentials[0].ExchangeName.ShouldBe("kraken");

        var us = await api.ListCredentialsAsync("binance_us");
        us.Credentials[0].ExchangeName.ShouldBe("binanceus");
    }

    [Fact]
    public async Task a_second_credential_of_the_same_name_on_the_same_exchange_is_a_409()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        await api.StoreCredentialsAsync(Users.NewCredential(name: "Main"));

        var (status, detail) = await Users.RefusedAsync(() => api.StoreCredentialsAsync(Users.NewCredential(name: "main")));
        status.ShouldBe(409);
        detail.ShouldNotBeNull().ShouldContain("already exists");

        await api.StoreCredentialsAsync(Users.NewCredential(exchange: "kraken", name: "Main"));
        (await api.ListCredentialsAsync()).TotalCount.ShouldBe(2);
    }

    [Fact]
    public async Task two_concurrent_stores_of_one_name_store_exactly_one()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                return (Status: 201, Detail: (await api.StoreCredentialsAsync(Users.NewCredential(name: "Race"))).Id);
            }
            catch (BitcainApiException e)
            {
                return (Status: e.StatusCode, Detail: e.Response);
            }
        }));

        attempts.Count(a => a.Status == 201).ShouldBe(1, string.Join(", ", attempts.Select(a => $"{a.Status} {a.Detail}")));
        attempts.Count(a => a.Status == 409).ShouldBe(3, string.Join(", ", attempts.Select(a => $"{a.Status} {a.Detail}")) + string.Join("\n", suite.Logs.Lines.Where(l => l.Contains("Exception")).Select(l => l.Length > 3000 ? l[..3000] : l).Take(2)));
        (await api.ListCredentialsAsync()).TotalCount.ShouldBe(1);
    }

    [Fact]
    public async Task another_user_never_sees_a_credential_and_gets_404_for_its_id()
    {
        var owner = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        var id = (await owner.StoreCredentialsAsync(Users.NewCredential())).Id;

        var stranger = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        var (status, detail) = await Users.RefusedAsync(() => stranger.GetCredentialAsync(id));
        status.ShouldBe(404);
        detail.ShouldNotBeNull().ShouldContain("not found");
        (await stranger.ListCredentialsAsync()).TotalCount.ShouldBe(0);

        // The same name is free for the stranger: uniqueness is per user.
        await stranger.StoreCredentialsAsync(Users.NewCredential());
    }

    [Fact]
    public async Task an_unknown_or_malformed_credential_id_is_a_404()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        (await Users.RefusedAsync(() => api.GetCredentialAsync(Guid.NewGuid().ToString()))).Status.ShouldBe(404);
        (await Users.RefusedAsync(() => api.GetCredentialAsync("not-an-id"))).Status.ShouldBe(404);
    }

    [Fact]
    public async Task the_supported_exchanges_are_the_nine_of_the_contract_with_aliases_and_features()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser()));
        var exchanges = (await api.GetSupportedExchangesAsync()).Exchanges;
        exchanges.Select(e => e.Id).ShouldBe(
            ["binance", "binanceus", "coinbase", "kraken", "bybit", "kucoin", "bitfinex", "okx", "gate_io"], ignoreOrder: true);
        var us = exchanges.Single(e => e.Id == "binanceus");
        us.Aliases.ShouldContain("binance_us");
        exchanges.Where(e => e.RequiresPassphrase).Select(e => e.Id).ShouldBe(["kucoin", "okx"], ignoreOrder: true);
        var features = exchanges.ToDictionary(e => e.Id, e => e.Features.ToList());
        features["binance"].ShouldBe(["health", "markets", "ticker", "balances", "trades", "key_permissions", "bnb_burn", "dust_assets"]);
        features["kraken"].ShouldBe(["health", "markets", "ticker", "balances", "trades", "key_permissions"]);
        features["binanceus"].ShouldNotContain("bnb_burn");
    }

    [Fact]
    public async Task a_passphrase_is_required_where_the_exchange_needs_one()
    {
        var api = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        var (status, body, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "okx"));
        status.ShouldBe(422);
        var error = body!["detail"]![0]!;
        error["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe(["body", "api_passphrase"]);
        error["type"]!.GetValue<string>().ShouldBe("value_error");
    }
}
