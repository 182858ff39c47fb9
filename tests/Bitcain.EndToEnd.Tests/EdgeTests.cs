using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>What the gateway answers before any service is asked: authentication and the FastAPI 422 shapes.</summary>
[Collection(SuiteCollection.Name)]
public sealed class EdgeTests(BitcainSuite suite)
{
    private ApiClient As(string? token) => new(suite.Gateway, token);
    private ApiClient User() => As(TestTokens.For("edge-" + Guid.NewGuid().ToString("N")[..8]));

    public static TheoryData<string, string?> BadTokens => new()
    {
        { "Not authenticated", null },
        { "Token has expired", TestTokens.For("u1", expires: DateTime.UtcNow.AddMinutes(-10), notBefore: DateTime.UtcNow.AddHours(-1)) },
        { "Invalid token signature", TestTokens.For("u1", key: "another-signing-key-of-enough-length-0123456789") },
        { "Invalid token audience", TestTokens.For("u1", audience: "someone-else") },
        { "Invalid token issuer", TestTokens.For("u1", issuer: "evil") },
        { "Invalid authentication token", "not.a.jwt" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task a_missing_or_bad_token_is_a_401_with_a_bearer_challenge(string detail, string? token)
    {
        foreach (var url in new[] { "/api/exchange/credentials", "/api/exchange/supported" })
        {
            var (status, body, response) = await As(token).GetAsync(url);
            status.ShouldBe(401);
            body!["detail"]!.GetValue<string>().ShouldBe(detail);
            response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        }
    }

    [Fact]
    public async Task health_and_openapi_need_no_token()
    {
        (await As(null).GetAsync("/health")).Status.ShouldBe(200);
        (await As(null).GetAsync("/alive")).Status.ShouldBe(200);
        (await As(null).GetAsync("/openapi.json")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task malformed_json_is_a_422_json_invalid_never_a_500()
    {
        var (status, body, _) = await User().SendAsync(HttpMethod.Post, "/api/exchange/credentials", "{\"exchange_name\": \"binance\",");
        status.ShouldBe(422);
        var error = body!["detail"]![0]!;
        error["type"]!.GetValue<string>().ShouldBe("json_invalid");
        error["loc"]![0]!.GetValue<string>().ShouldBe("body");
        error["msg"]!.GetValue<string>().ShouldBe("JSON decode error");
    }

    [Fact]
    public async Task a_missing_body_and_a_non_object_body_get_the_pydantic_entries()
    {
        var (status, body, _) = await User().SendAsync(HttpMethod.Post, "/api/exchange/credentials", "");
        status.ShouldBe(422);
        body!["detail"]![0]!["type"]!.GetValue<string>().ShouldBe("missing");
        body["detail"]![0]!["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe(["body"]);

        (status, body, _) = await User().SendAsync(HttpMethod.Post, "/api/exchange/credentials", "[1,2]");
        status.ShouldBe(422);
        body!["detail"]![0]!["type"]!.GetValue<string>().ShouldBe("model_attributes_type");
    }

    [Fact]
    public async Task every_field_problem_of_a_body_is_listed_with_type_loc_and_msg()
    {
        var (status, body, _) = await User().PostAsync("/api/exchange/credentials", new Dictionary<string, object?>
        {
            ["exchange_name"] = "nasdaq",
            ["credential_name"] = "",
            ["api_key"] = "short",
            ["api_secret"] = 12345678,
            ["permissions"] = new[] { "read", "margin" },
            ["ip_whitelist"] = new[] { "10.0.0.0/33", "1.2.3.4" },
            ["exchange_metadata"] = "testnet",
        });
        status.ShouldBe(422);
        var errors = body!["detail"]!.AsArray().ToDictionary(e => string.Join('.', e!["loc"]!.AsArray().Select(l => l!.ToString())), e => e!);

        errors["body.exchange_name"]["type"]!.GetValue<string>().ShouldBe("value_error");
        errors["body.exchange_name"]["msg"]!.GetValue<string>().ShouldContain("nasdaq");
        errors["body.credential_name"]["type"]!.GetValue<string>().ShouldBe("string_too_short");
        errors["body.credential_name"]["msg"]!.GetValue<string>().ShouldBe("String should have at least 1 character");
        errors["body.api_key"]["type"]!.GetValue<string>().ShouldBe("string_too_short");
        errors["body.api_key"]["msg"]!.GetValue<string>().ShouldBe("String should have at least 8 characters");
        errors["body.api_key"]["ctx"]!["min_length"]!.GetValue<int>().ShouldBe(8);
        errors["body.api_key"]["input"]!.GetValue<string>().ShouldBe("**********"); // secret fields are never echoed
        errors["body.api_secret"]["type"]!.GetValue<string>().ShouldBe("string_type");
        errors["body.permissions.1"]["type"]!.GetValue<string>().ShouldBe("literal_error");
        errors["body.ip_whitelist.0"]["type"]!.GetValue<string>().ShouldBe("value_error");
        errors.ShouldNotContainKey("body.ip_whitelist.1");
        errors["body.exchange_metadata"]["type"]!.GetValue<string>().ShouldBe("dict_type");
    }

    [Fact]
    public async Task a_required_field_missing_is_field_required()
    {
        var (status, body, _) = await User().PostAsync("/api/exchange/credentials", new { exchange_name = "binance", api_key = "12345678" });
        status.ShouldBe(422);
        var error = body!["detail"]!.AsArray().Single()!;
        error["type"]!.GetValue<string>().ShouldBe("missing");
        error["msg"]!.GetValue<string>().ShouldBe("Field required");
        error["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe(["body", "api_secret"]);
    }

    [Fact]
    public async Task an_unknown_exchange_in_the_query_is_a_422_on_that_parameter()
    {
        var (status, body, _) = await User().GetAsync("/api/exchange/credentials?exchange_name=mtgox");
        status.ShouldBe(422);
        var error = body!["detail"]![0]!;
        error["loc"]!.AsArray().Select(l => l!.ToString()).ShouldBe(["query", "exchange_name"]);
        error["input"]!.GetValue<string>().ShouldBe("mtgox");
    }

    [Fact]
    public async Task a_body_over_the_size_limit_is_a_413_with_a_detail()
    {
        var huge = "{\"exchange_name\":\"binance\",\"api_key\":\"" + new string('k', 70 * 1024) + "\",\"api_secret\":\"12345678\"}";
        var (status, body, _) = await User().SendAsync(HttpMethod.Post, "/api/exchange/credentials", huge);
        status.ShouldBe(413);
        body!["detail"]!.GetValue<string>().ShouldContain("too large");
    }

    [Fact]
    public async Task unknown_paths_and_methods_get_fastapi_bodies()
    {
        var (status, body, _) = await User().GetAsync("/api/exchange/nothing-here/at-all");
        status.ShouldBe(404);
        body!["detail"]!.GetValue<string>().ShouldBe("Not Found");

        (status, body, _) = await User().SendAsync(HttpMethod.Delete, "/api/exchange/supported");
        status.ShouldBe(405);
        body!["detail"]!.GetValue<string>().ShouldBe("Method Not Allowed");
    }

    [Fact]
    public async Task the_openapi_document_describes_every_endpoint_with_the_contract_names()
    {
        var (_, doc, _) = await As(null).GetAsync("/openapi.json");
        var paths = doc!["paths"]!.AsObject();
        // Every path of the contract (../shared/CONTRACT.md) and the README's one addition (sync status), nothing else.
        paths.Select(p => p.Key).ShouldBe(
        [
            "/api/exchange/supported", "/api/exchange/{exchange_name}/info", "/api/exchange/markets", "/api/exchange/ticker",
            "/api/exchange/route", "/api/exchange/health", "/api/exchange/{exchange_name}/health",
            "/api/exchange/validate", "/api/exchange/credentials", "/api/exchange/credentials/{credential_id}",
            "/api/exchange/credentials/{credential_id}/events",
            "/api/exchange/balance/sync", "/api/exchange/balance", "/api/exchange/balance/history",
            "/api/exchange/trades/sync", "/api/exchange/trades", "/api/exchange/trades/stats",
            "/api/exchange/bnb-burn", "/api/exchange/dust-assets", "/api/audit/events", "/api/exchange/sync/status",
        ], ignoreOrder: true);
        paths["/api/exchange/health"]!["get"]!.AsObject().ContainsKey("security").ShouldBeFalse("health needs no token");
        paths["/api/exchange/credentials/{credential_id}"]!.AsObject().Select(m => m.Key).ShouldBe(["get", "put", "delete"], ignoreOrder: true);

        var store = doc["components"]!["schemas"]!["ExchangeCredentialCreate"]!;
        store["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["exchange_name", "api_key", "api_secret"]);
        store["properties"]!["credential_name"]!["default"]!.GetValue<string>().ShouldBe("Default");
        store["properties"]!["api_key"]!["minLength"]!.GetValue<int>().ShouldBe(8);
        paths["/api/exchange/credentials"]!["post"]!["responses"]!["201"].ShouldNotBeNull();
        paths["/api/exchange/credentials"]!["get"]!["parameters"]![0]!["name"]!.GetValue<string>().ShouldBe("exchange_name");
        doc["components"]!["schemas"]!["CredentialDetailResponse"]!["properties"]!["api_key_masked"].ShouldNotBeNull();
    }
}
