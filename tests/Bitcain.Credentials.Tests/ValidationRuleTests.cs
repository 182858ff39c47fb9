using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>Each rule's 422 entry: its type, where it points and what it says, in the FastAPI / pydantic v2 shape.</summary>
[Collection(CredentialsCollection.Name)]
public sealed class ValidationRuleTests(CredentialsFixture fixture)
{
    private static async Task ShouldBeRejected((int Status, JsonNode? Body) answer, string type, string[] loc, string msgPart)
    {
        answer.Status.ShouldBe(422, answer.Body?.ToJsonString());
        var entries = answer.Body!["detail"]!.AsArray();
        entries.ShouldContain(e => e!["type"]!.GetValue<string>() == type
                                   && string.Join("/", e["loc"]!.AsArray().Select(l => l!.ToString())) == string.Join("/", loc)
                                   && e["msg"]!.GetValue<string>().Contains(msgPart),
            answer.Body.ToJsonString());
        await Task.CompletedTask;
    }

    private static Dictionary<string, object?> With(string field, object? value)
    {
        var body = Api.Credential();
        if (value is Missing) body.Remove(field); else body[field] = value;
        return body;
    }

    private sealed record Missing;

    [Fact]
    public async Task storing_refuses_each_bad_field_with_its_own_entry()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        const string url = "/api/exchange/credentials";
        await ShouldBeRejected(await api.PostAsync(url, With("exchange_name", new Missing())), "missing", ["body", "exchange_name"], "Field required");
        await ShouldBeRejected(await api.PostAsync(url, With("exchange_name", "nasdaq")), "value_error", ["body", "exchange_name"], "nasdaq");
        await ShouldBeRejected(await api.PostAsync(url, With("credential_name", "")), "string_too_short", ["body", "credential_name"], "at least 1 character");
        await ShouldBeRejected(await api.PostAsync(url, With("credential_name", new string('n', 101))), "string_too_long", ["body", "credential_name"], "at most 100");
        await ShouldBeRejected(await api.PostAsync(url, With("api_key", "short")), "string_too_short", ["body", "api_key"], "at least 8");
        await ShouldBeRejected(await api.PostAsync(url, With("api_secret", new Missing())), "missing", ["body", "api_secret"], "Field required");
        await ShouldBeRejected(await api.PostAsync(url, With("permissions", new[] { "read", "admin" })), "literal_error", ["body", "permissions", "1"], "'read', 'trade' or 'withdraw'");
        await ShouldBeRejected(await api.PostAsync(url, With("ip_whitelist", new[] { "300.1.1.1" })), "value_error", ["body", "ip_whitelist", "0"], "not a valid IPv4/IPv6");
        await ShouldBeRejected(await api.PostAsync(url, With("exchange_metadata", "testnet")), "dict_type", ["body", "exchange_metadata"], "valid dictionary");
        await ShouldBeRejected(await api.PostAsync(url, With("exchange_name", "kucoin")), "value_error", ["body", "api_passphrase"], "required for kucoin");
        var (status, malformed) = await api.PostAsync(url, "{\"exchange_name\": ");
        status.ShouldBe(422);
        malformed!["detail"]![0]!["type"]!.GetValue<string>().ShouldBe("json_invalid");
    }

    [Fact]
    public async Task updating_refuses_each_bad_field_and_never_answers_500()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        var id = await api.StoreAsync(Api.Credential());
        var url = $"/api/exchange/credentials/{id}";
        await ShouldBeRejected(await api.PutAsync(url, new { credential_name = "" }), "string_too_short", ["body", "credential_name"], "at least 1");
        await ShouldBeRejected(await api.PutAsync(url, new { api_key = "short" }), "string_too_short", ["body", "api_key"], "at least 8");
        await ShouldBeRejected(await api.PutAsync(url, new { api_secret = "short" }), "string_too_short", ["body", "api_secret"], "at least 8");
        await ShouldBeRejected(await api.PutAsync(url, new { is_active = "perhaps" }), "bool_parsing", ["body", "is_active"], "valid boolean");
        await ShouldBeRejected(await api.PutAsync(url, new { permissions = new[] { "root" } }), "literal_error", ["body", "permissions", "0"], "'read'");
        await ShouldBeRejected(await api.PutAsync(url, new { ip_whitelist = new[] { "1.2.3" } }), "value_error", ["body", "ip_whitelist", "0"], "1.2.3");
        await ShouldBeRejected(await api.PutAsync(url, new { exchange_metadata = new[] { 1 } }), "dict_type", ["body", "exchange_metadata"], "valid dictionary");
        await ShouldBeRejected(await api.PutAsync(url, "[]"), "model_attributes_type", ["body"], "valid dictionary or object");

        var (status, unchanged) = await api.PutAsync(url, new { });
        status.ShouldBe(200, "an empty change is allowed and changes nothing");
        unchanged.S("credential_name").ShouldBe("Main");
    }

    [Fact]
    public async Task validating_a_key_and_reading_the_audit_refuse_bad_input()
    {
        var api = Api.NewUser(fixture.Suite.Gateway);
        await ShouldBeRejected(await api.PostAsync("/api/exchange/validate", new { api_key = "k", api_secret = "s" }), "missing", ["body", "exchange"], "Field required");
        await ShouldBeRejected(await api.PostAsync("/api/exchange/validate", new { exchange = "binance", api_secret = "s" }), "missing", ["body", "api_key"], "Field required");
        await ShouldBeRejected(await api.PostAsync("/api/exchange/validate", new { exchange = "okx", api_key = "k", api_secret = "s" }), "value_error", ["body", "api_passphrase"], "required for okx");

        await ShouldBeRejected(await api.GetAsync("/api/audit/events?stream=orders"), "literal_error", ["query", "stream"], "'credential', 'sync' or 'market'");
        await ShouldBeRejected(await api.GetAsync("/api/audit/events?credential_id=abc"), "uuid_parsing", ["query", "credential_id"], "valid UUID");
        await ShouldBeRejected(await api.GetAsync("/api/audit/events?limit=0"), "greater_than_equal", ["query", "limit"], "greater than or equal to 1");
        await ShouldBeRejected(await api.GetAsync("/api/audit/events?offset=-1"), "greater_than_equal", ["query", "offset"], "greater than or equal to 0");
        await ShouldBeRejected(await api.GetAsync("/api/audit/events?start_date=yesterday"), "datetime_from_date_parsing", ["query", "start_date"], "valid datetime");
        await ShouldBeRejected(await api.GetAsync("/api/audit/events?exchange=nasdaq"), "value_error", ["query", "exchange"], "nasdaq");
    }
}
