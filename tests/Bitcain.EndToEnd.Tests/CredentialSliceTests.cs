using System.Text.Json.Nodes;
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
        var api = new ApiClient(suite.Gateway, TestTokens.For(user));

        var (status, created, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "Binance_US"));
        status.ShouldBe(201);
        var id = created!["id"]!.GetValue<string>();
        created["user_id"]!.GetValue<string>().ShouldBe(user);
        created["exchange_name"]!.GetValue<string>().ShouldBe("binanceus");
        created["credential_name"]!.GetValue<string>().ShouldBe("Main");
        created["permissions"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe(["read", "trade"]);
        created["ip_whitelist"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe(["203.0.113.7", "2001:db8::/32"]);
        created["exchange_metadata"]!["testnet"]!.GetValue<bool>().ShouldBeTrue();
        created["is_active"]!.GetValue<bool>().ShouldBeTrue();
        created["validation_status"]!.GetValue<string>().ShouldBe("pending");
        created["last_used"].ShouldBeNull();
        created["created_at"]!.GetValue<string>().ShouldEndWith("Z");
        created.AsObject().ContainsKey("api_key").ShouldBeFalse();
        created.AsObject().ContainsKey("api_key_masked").ShouldBeFalse("the list shape has no masked key; the detail has");

        var (listStatus, list, _) = await api.GetAsync("/api/exchange/credentials");
        listStatus.ShouldBe(200);
        list!["total_count"]!.GetValue<int>().ShouldBe(1);
        list["credentials"]![0]!["id"]!.GetValue<string>().ShouldBe(id);

        var (detailStatus, detail, _) = await api.GetAsync($"/api/exchange/credentials/{id}");
        detailStatus.ShouldBe(200);
        detail!["api_key_masked"]!.GetValue<string>().ShouldBe("AKIA*********7890");
        detail["has_passphrase"]!.GetValue<bool>().ShouldBeFalse();

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
    public async Task the_list_filters_by_exchange_and_accepts_the_alias()
    {
        var api = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        (await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "kraken"))).Status.ShouldBe(201);
        (await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "binanceus"))).Status.ShouldBe(201);

        var (_, kraken, _) = await api.GetAsync("/api/exchange/credentials?exchange_name=KRAKEN");
        kraken!["total_count"]!.GetValue<int>().ShouldBe(1);
        kraken["credentials"]![0]!["exchange_name"]!.GetValue<string>().ShouldBe("kraken");

        var (_, us, _) = await api.GetAsync("/api/exchange/credentials?exchange_name=binance_us");
        us!["credentials"]![0]!["exchange_name"]!.GetValue<string>().ShouldBe("binanceus");
    }

    [Fact]
    public async Task a_second_credential_of_the_same_name_on_the_same_exchange_is_a_409()
    {
        var api = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        (await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(name: "Main"))).Status.ShouldBe(201);

        var (status, body, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(name: "main"));
        status.ShouldBe(409);
        body!["detail"]!.GetValue<string>().ShouldContain("already exists");

        (await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "kraken", name: "Main"))).Status.ShouldBe(201);
        (await api.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task two_concurrent_stores_of_one_name_store_exactly_one()
    {
        var api = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(name: "Race"))));

        attempts.Count(a => a.Status == 201).ShouldBe(1, string.Join(", ", attempts.Select(a => $"{a.Status} {a.Body?.ToJsonString()}")));
        attempts.Count(a => a.Status == 409).ShouldBe(3, string.Join(", ", attempts.Select(a => $"{a.Status} {a.Body?.ToJsonString()}")) + string.Join("\n", suite.Logs.Lines.Where(l => l.Contains("Exception")).Select(l => l.Length > 3000 ? l[..3000] : l).Take(2)));
        (await api.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task another_user_never_sees_a_credential_and_gets_404_for_its_id()
    {
        var owner = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        var (_, created, _) = await owner.PostAsync("/api/exchange/credentials", ApiClient.NewCredential());
        var id = created!["id"]!.GetValue<string>();

        var stranger = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        var (status, body, _) = await stranger.GetAsync($"/api/exchange/credentials/{id}");
        status.ShouldBe(404);
        body!["detail"]!.GetValue<string>().ShouldContain("not found");
        (await stranger.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(0);

        // The same name is free for the stranger: uniqueness is per user.
        (await stranger.PostAsync("/api/exchange/credentials", ApiClient.NewCredential())).Status.ShouldBe(201);
    }

    [Fact]
    public async Task an_unknown_or_malformed_credential_id_is_a_404()
    {
        var api = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        (await api.GetAsync($"/api/exchange/credentials/{Guid.NewGuid()}")).Status.ShouldBe(404);
        (await api.GetAsync("/api/exchange/credentials/not-an-id")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task the_supported_exchanges_are_the_nine_of_the_contract_with_aliases_and_features()
    {
        var api = new ApiClient(suite.Gateway, TestTokens.For(NewUser()));
        var (status, body, _) = await api.GetAsync("/api/exchange/supported");
        status.ShouldBe(200);
        var exchanges = body!["exchanges"]!.AsArray();
        exchanges.Select(e => e!["id"]!.GetValue<string>()).ShouldBe(
            ["binance", "binanceus", "coinbase", "kraken", "bybit", "kucoin", "bitfinex", "okx", "gate_io"], ignoreOrder: true);
        var us = exchanges.Single(e => e!["id"]!.GetValue<string>() == "binanceus")!;
        us["aliases"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("binance_us");
        exchanges.Where(e => e!["requires_passphrase"]!.GetValue<bool>()).Select(e => e!["id"]!.GetValue<string>())
            .ShouldBe(["kucoin", "okx"], ignoreOrder: true);
        var features = exchanges.ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!["features"]!.AsArray().Select(f => f!.GetValue<string>()).ToList());
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
