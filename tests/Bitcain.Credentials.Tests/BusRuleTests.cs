using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.Contracts.Credentials;
using Bitcain.ServiceDefaults.ServiceQueries;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>
/// Commands put on the bus directly (as another system would) are held to the REST API's rules and refused with the
/// same entries: type, loc, msg and ctx. The input is left out of the comparison: a service never echoes a secret.
/// </summary>
[Collection(CredentialsCollection.Name)]
public sealed class BusRuleTests(CredentialsFixture fixture)
{
    private static readonly JsonElement DeepMetadata = JsonDocument.Parse("""{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}""").RootElement;

    private string Seal(string user, string? clear, string field) =>
        clear is null ? null! : SealedBox.Seal(fixture.Suite.Credentials.Services.GetRequiredService<CredentialVault>().SealingKey.PublicKey,
            clear, SealingContext.For(user, field));

    private SealedFields Sealed(string user, string? key, string? secret, string? passphrase = null) =>
        new(Seal(user, key, SealedFields.ApiKeyField), Seal(user, secret, SealedFields.ApiSecretField), Seal(user, passphrase, SealedFields.PassphraseField));

    private async Task<CredentialReply> SendOnTheBusAsync(string user, object command)
    {
        using var scope = fixture.Suite.Gateway.Services.CreateScope();
        var answer = await scope.ServiceProvider.GetRequiredService<ServiceCalls>().SendCommandAsync<CredentialReply>("credentials", user, command, CancellationToken.None);
        answer.Answered.ShouldBeTrue();
        return answer.Reply!;
    }

    private static List<string> WithoutInput(JsonArray entries) => entries.Select(e =>
    {
        var entry = e!.AsObject().DeepClone().AsObject();
        entry.Remove("input");
        if (entry["ctx"] is null) entry.Remove("ctx");
        return entry.ToJsonString();
    }).ToList();

    private static async Task ShouldBeRefusedAlikeAsync((int Status, JsonNode? Body) rest, CredentialReply bus)
    {
        rest.Status.ShouldBe(422, rest.Body?.ToJsonString());
        bus.Outcome.ShouldBe(CredentialOutcome.Invalid, bus.Detail);
        var fromRest = WithoutInput(rest.Body!["detail"]!.AsArray());
        var fromBus = WithoutInput(JsonSerializer.SerializeToNode(bus.Violations, BitcainMessaging.JsonOptions)!.AsArray());
        fromBus.ShouldBe(fromRest);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task a_store_command_the_api_would_refuse_is_refused_by_the_service_with_the_same_entries()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        const string key = "BUSKEY-1234567890", secret = "BUS-SECRET-1234567890";

        var body = Api.Credential(exchange: "foo", name: "", key: key, secret: secret);
        body["permissions"] = new[] { "read", "admin" };
        body["ip_whitelist"] = new[] { "203.0.113.7", "1.2.3", "01.2.3.4/24" };
        body["exchange_metadata"] = DeepMetadata;
        var command = new StoreCredential(Guid.NewGuid(), "foo", "", "irrelevant", false, ["read", "admin"], ["203.0.113.7", "1.2.3", "01.2.3.4/24"],
            DeepMetadata, Sealed(api.User, key, secret));
        await ShouldBeRefusedAlikeAsync(await api.PostAsync("/api/exchange/credentials", body), await SendOnTheBusAsync(api.User, command));

        // Secrets are checked once unsealed, and never echoed back.
        var shortSecrets = Api.Credential(key: "short", secret: new string('s', CredentialRules.ApiSecretMaxLength + 1));
        var shortCommand = new StoreCredential(Guid.NewGuid(), "binance", "Main", "", false, ["read"], [], null,
            Sealed(api.User, "short", new string('s', CredentialRules.ApiSecretMaxLength + 1)));
        var refused = await SendOnTheBusAsync(api.User, shortCommand);
        await ShouldBeRefusedAlikeAsync(await api.PostAsync("/api/exchange/credentials", shortSecrets), refused);
        refused.Violations!.ShouldAllBe(v => v.Input == null);

        // The passphrase an exchange needs, asked for of an otherwise valid command.
        var kucoin = new StoreCredential(Guid.NewGuid(), "kucoin", "Main", "", false, ["read"], [], null, Sealed(api.User, key, secret));
        await ShouldBeRefusedAlikeAsync(await api.PostAsync("/api/exchange/credentials", Api.Credential(exchange: "kucoin", key: key, secret: secret)),
            await SendOnTheBusAsync(api.User, kucoin));

        // A missing secret is "missing", as a body without it is.
        var noSecret = Api.Credential(key: key);
        noSecret.Remove("api_secret");
        var noSecretCommand = new StoreCredential(Guid.NewGuid(), "binance", "Main", "", false, ["read"], ["203.0.113.7"],
            JsonDocument.Parse("""{"testnet":true}""").RootElement, Sealed(api.User, key, null));
        await ShouldBeRefusedAlikeAsync(await api.PostAsync("/api/exchange/credentials", noSecret), await SendOnTheBusAsync(api.User, noSecretCommand));

        (await api.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(0, "nothing refused was stored");
    }

    [Fact]
    public async Task an_update_command_the_api_would_refuse_is_refused_by_the_service_with_the_same_entries_and_changes_nothing()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential());
        var longName = new string('n', CredentialRules.NameMaxLength + 1);

        var rest = await api.PutAsync($"/api/exchange/credentials/{id}", new
        {
            credential_name = longName, api_secret = "short", permissions = new[] { "root", "trade" }, ip_whitelist = new[] { "::1", "300.1.1.1" },
        });
        var command = new UpdateCredential(Guid.Parse(id), longName, null, Sealed(api.User, null, "short"), ["root", "trade"], ["::1", "300.1.1.1"], null, null);
        await ShouldBeRefusedAlikeAsync(rest, await SendOnTheBusAsync(api.User, command));

        var (_, unchanged) = await api.GetAsync($"/api/exchange/credentials/{id}");
        unchanged.S("credential_name").ShouldBe("Main");
        unchanged.Strings("permissions").ShouldBe(["read", "trade"]);
    }

    [Fact]
    public async Task a_valid_bus_command_is_stored_normalized_as_the_api_would_store_it()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = Guid.NewGuid();
        var reply = await SendOnTheBusAsync(api.User, new StoreCredential(id, "BINANCE_US", "From the bus", "CLEAR-KEY-ON-PURPOSE", false,
            [" Read ", "TRADE", "read"], [" 10.0.0.0/24 "], null, Sealed(api.User, "BUSKEY-ABCDEFGHIJ", "BUS-SECRET-ABCDEFGH")));

        reply.Outcome.ShouldBe(CredentialOutcome.Ok, reply.Detail);
        var (_, stored) = await api.GetAsync($"/api/exchange/credentials/{id}");
        stored.S("exchange_name").ShouldBe("binanceus");
        stored.Strings("permissions").ShouldBe(["read", "trade"]);
        stored.Strings("ip_whitelist").ShouldBe(["10.0.0.0/24"]);
        stored.S("api_key_masked").ShouldBe("BUSK*********GHIJ", "the service masks the key it opened, not what the sender claimed");
    }
}
