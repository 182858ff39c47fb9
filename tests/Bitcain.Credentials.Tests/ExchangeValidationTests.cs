using Bitcain.ExchangeSimulator;
using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class ExchangeValidationTests(CredentialsFixture fixture)
{
    [Fact]
    public async Task a_stored_good_key_becomes_valid_in_the_background_with_the_permissions_the_exchange_reports()
    {
        var demo = fixture.Simulator.Account("binance", "demo");
        var api = Api.NewUser(fixture.Suite.Gateway);
        var body = Api.Credential(key: demo.ApiKey, secret: demo.ApiSecret);
        body["permissions"] = new[] { "read", "trade", "withdraw" };
        var id = await api.StoreAsync(body);

        var valid = await api.WaitForAsync(id, c => c.S("validation_status") != "pending");
        valid.S("validation_status").ShouldBe("valid");
        valid["validation_error"].ShouldBeNull();
        valid["last_validation"].ShouldNotBeNull();
        valid.Strings("permissions").ShouldBe(["read", "trade"], "the exchange's word replaces what was claimed");
    }

    [Fact]
    public async Task a_bad_key_becomes_invalid_and_a_rotated_good_key_becomes_valid_again()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential(key: "NOSUCHKEY-1234567890", secret: "NOSUCHSECRET-1234567890"));

        var invalid = await api.WaitForAsync(id, c => c.S("validation_status") != "pending");
        invalid.S("validation_status").ShouldBe("invalid");
        invalid.S("validation_error").ShouldNotBeNullOrWhiteSpace();
        var (_, events) = await api.GetAsync($"/api/exchange/credentials/{id}/events");
        events!["events"]![0].S("event_type").ShouldBe("credential_validation_failed.v1");
        events["events"]![0]!["data"].S("error_type").ShouldBe("auth_error");

        var demo = fixture.Simulator.Account("binance", "demo");
        var (status, rotated) = await api.PutAsync($"/api/exchange/credentials/{id}", new { api_key = demo.ApiKey, api_secret = demo.ApiSecret });
        status.ShouldBe(200);
        rotated.S("validation_status").ShouldBe("pending");
        (await api.WaitForAsync(id, c => c.S("validation_status") != "pending")).S("validation_status").ShouldBe("valid");
    }

    [Fact]
    public async Task an_exchange_outage_leaves_the_credential_in_error_not_invalid()
    {
        var demo = fixture.Simulator.Account("binance", "readonly");
        var fault = fixture.Simulator.Faults.Add(FaultKind.Maintenance, "binance");
        try
        {
            var api = Api.NewUser(fixture.Suite.Gateway);
            var id = await api.StoreAsync(Api.Credential(key: demo.ApiKey, secret: demo.ApiSecret));
            var failed = await api.WaitForAsync(id, c => c.S("validation_status") != "pending");
            failed.S("validation_status").ShouldBe("error");
            failed.S("validation_error").ShouldNotBeNullOrWhiteSpace();
        }
        finally
        {
            fixture.Simulator.Faults.Remove(fault);
        }
    }

    [Fact]
    public async Task validate_checks_a_key_against_the_exchange_and_stores_nothing()
    {
        var demo = fixture.Simulator.Account("kraken", "demo");
        var api = Api.NewUser(fixture.Suite.Gateway);

        var (status, good) = await api.PostAsync("/api/exchange/validate", new { exchange = "kraken", api_key = demo.ApiKey, api_secret = demo.ApiSecret });
        status.ShouldBe(200, good?.ToJsonString());
        good!["valid"]!.GetValue<bool>().ShouldBeTrue();
        good.S("exchange").ShouldBe("kraken");
        good.Strings("permissions").ShouldContain("read");
        good["error"].ShouldBeNull();
        good["error_type"].ShouldBeNull();

        var (_, bad) = await api.PostAsync("/api/exchange/validate", new { exchange = "binance", api_key = "NOSUCHKEY-123", api_secret = "NOSUCHSECRET-123" });
        bad!["valid"]!.GetValue<bool>().ShouldBeFalse();
        bad.S("error_type").ShouldBe("auth_error");
        bad.S("error").ShouldNotBeNullOrWhiteSpace();

        (await api.GetAsync("/api/exchange/credentials")).Body!["total_count"]!.GetValue<int>().ShouldBe(0);
        (await api.GetAsync("/api/audit/events")).Body!["events"]!.AsArray().ShouldBeEmpty();
    }
}
