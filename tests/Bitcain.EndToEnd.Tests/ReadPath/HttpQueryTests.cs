using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.Contracts.Credentials;
using Bitcain.ServiceDefaults.ServiceQueries;
using Bitcain.ServiceDefaults;
using Bitcain.ServiceDefaults.BusIdentity;
using Bitcain.ServiceDefaults.HttpQueries;
using Bitcain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.ReadPath;

/// <summary>
/// The gateway asks the services' queries over HTTP; each service decides who asks, from the same signed assertion
/// as on the bus, and answers only what that user's tenant holds.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class HttpQueryTests(BitcainSuite suite)
{
    private const string ListName = "bitcain.credentials.list-credentials.v1";
    private static readonly BusSigningIdentity Gateway = new("gateway", TestBusIdentities.KeyOf("gateway"));

    [Fact]
    public async Task the_gateway_reads_credentials_over_http_not_the_bus()
    {
        var user = NewUser("http");
        var api = Users.Client(suite.Gateway, TestTokens.For(user));
        await UserWithCredentialAsync(user, "Http");
        var handler = (SuiteServiceHandler)suite.Gateway.Services.GetRequiredKeyedService<HttpMessageHandler>(HttpQueryClient.HandlerKey);

        var before = handler.Asked;
        var list = await api.ListCredentialsAsync();

        list.TotalCount.ShouldBe(1);
        handler.Asked.ShouldBe(before + 1);
    }

    [Fact]
    public async Task a_signed_query_answers_the_asserted_users_credentials_and_never_another_users()
    {
        var alice = await UserWithCredentialAsync("alice");
        var bob = await UserWithCredentialAsync("bob");

        var (status, text) = await AskCredentialsAsync(alice, Sign(alice));

        status.ShouldBe(HttpStatusCode.OK);
        var list = JsonSerializer.Deserialize<CredentialList>(text, BitcainMessaging.JsonOptions)!;
        list.Credentials.ShouldHaveSingleItem().UserId.ShouldBe(alice);
        text.ShouldNotContain(bob);
    }

    [Fact]
    public async Task a_query_without_an_assertion_is_a_401_and_answers_nothing()
    {
        var alice = await UserWithCredentialAsync("unsigned");
        var (status, text) = await AskCredentialsAsync(alice, assertion: null);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        text.ShouldNotContain(alice);
    }

    public static TheoryData<string> Forgeries => ["unknown key", "another user", "another body", "another message id", "another query", "expired", "too long a life", "a bus assertion"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task a_forged_copied_or_expired_assertion_is_a_401_and_answers_nothing(string forgery)
    {
        var alice = await UserWithCredentialAsync("victim");
        var id = Guid.CreateVersion7();
        var body = Body(new ListCredentials(null));
        var now = DateTimeOffset.UtcNow;
        var assertion = forgery switch
        {
            "unknown key" => HttpQueryIdentity.Sign(new BusSigningIdentity("gateway", ECDsa.Create(ECCurve.NamedCurves.nistP256)), ListName, id, alice, body, now),
            "another user" => HttpQueryIdentity.Sign(Gateway, ListName, id, "mallory", body, now),
            "another body" => HttpQueryIdentity.Sign(Gateway, ListName, id, alice, Body(new ListCredentials("kraken")), now),
            "another message id" => HttpQueryIdentity.Sign(Gateway, ListName, Guid.CreateVersion7(), alice, body, now),
            "another query" => HttpQueryIdentity.Sign(Gateway, "bitcain.credentials.get-credential-audit-events.v1", id, alice, body, now),
            "expired" => HttpQueryIdentity.Sign(Gateway, ListName, id, alice, body, now - TimeSpan.FromMinutes(5)),
            "too long a life" => BusAssertion.Sign(new BusClaims("gateway", alice, id.ToString(), ListName, BusAssertion.BodyHash(body),
                HttpQueryIdentity.Binding(ListName), now.ToUnixTimeSeconds(), (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds()), Gateway.Key),
            "a bus assertion" => BusAssertion.Sign(new BusClaims("gateway", alice, id.ToString(), ListName, BusAssertion.BodyHash(body),
                "rabbitmq://queue/gateway.replies", now.ToUnixTimeSeconds(), (now + BusVerification.QueryLifetime).ToUnixTimeSeconds()), Gateway.Key),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        var (status, text) = await AskCredentialsAsync(alice, assertion, id, body);

        status.ShouldBe(HttpStatusCode.Unauthorized);
        text.ShouldNotContain(alice);
        suite.Logs.Lines.ShouldNotContain(line => line.Contains(assertion));
    }

    /// <summary>The gateway's own way: HS256 with the key only the gateway and the credentials service can derive.</summary>
    private static readonly byte[] GatewayToCredentials =
        HttpQueryKeys.Derive(TestBusIdentities.KeyOf("gateway"), TestBusIdentities.KeyOf("credentials"), "gateway", "credentials");

    [Fact]
    public async Task a_query_keyed_with_the_gateways_pair_key_answers_the_asserted_user()
    {
        var alice = await UserWithCredentialAsync("pair");
        var id = Guid.CreateVersion7();
        var body = Body(new ListCredentials(null));

        var (status, text) = await AskCredentialsAsync(alice, HttpQueryIdentity.SignWithPairKey("gateway", GatewayToCredentials, ListName, id, alice, body, DateTimeOffset.UtcNow), id, body);

        status.ShouldBe(HttpStatusCode.OK);
        JsonSerializer.Deserialize<CredentialList>(text, BitcainMessaging.JsonOptions)!.Credentials.ShouldHaveSingleItem().UserId.ShouldBe(alice);
    }

    [Fact]
    public void both_sides_derive_the_same_pair_key_and_no_other_pair_or_direction_does()
    {
        HttpQueryKeys.Derive(TestBusIdentities.KeyOf("credentials"), TestBusIdentities.KeyOf("gateway"), "gateway", "credentials").ShouldBe(GatewayToCredentials);
        HttpQueryKeys.Derive(TestBusIdentities.KeyOf("gateway"), TestBusIdentities.KeyOf("credentials"), "credentials", "gateway").ShouldNotBe(GatewayToCredentials);
        HttpQueryKeys.Derive(TestBusIdentities.KeyOf("gateway"), TestBusIdentities.KeyOf("market"), "gateway", "market").ShouldNotBe(GatewayToCredentials);
    }

    public static TheoryData<string> PairKeyForgeries => ["another pair's key", "the key for another service", "the other direction's key",
        "the public key as the HMAC key", "a truncated MAC", "another user", "another body", "another message id", "another query", "expired", "too long a life",
        "an untrusted issuer"];

    [Theory]
    [MemberData(nameof(PairKeyForgeries))]
    public async Task a_forged_copied_or_expired_pair_key_assertion_is_a_401_and_answers_nothing(string forgery)
    {
        var alice = await UserWithCredentialAsync("hvictim");
        var id = Guid.CreateVersion7();
        var body = Body(new ListCredentials(null));
        var now = DateTimeOffset.UtcNow;
        string Keyed(byte[] key, string issuer = "gateway", string? user = null, byte[]? signedBody = null, Guid? signedId = null, string name = ListName,
            DateTimeOffset? at = null) =>
            HttpQueryIdentity.SignWithPairKey(issuer, key, name, signedId ?? id, user ?? alice, signedBody ?? body, at ?? now);
        var assertion = forgery switch
        {
            // The sync service is trusted too, but cannot make the gateway's key: it holds neither private key.
            "another pair's key" => Keyed(HttpQueryKeys.Derive(TestBusIdentities.KeyOf("sync"), TestBusIdentities.KeyOf("credentials"), "gateway", "credentials")),
            "the key for another service" => Keyed(HttpQueryKeys.Derive(TestBusIdentities.KeyOf("gateway"), TestBusIdentities.KeyOf("market"), "gateway", "market")),
            "the other direction's key" => Keyed(HttpQueryKeys.Derive(TestBusIdentities.KeyOf("gateway"), TestBusIdentities.KeyOf("credentials"), "credentials", "gateway")),
            "the public key as the HMAC key" => Keyed(TestBusIdentities.KeyOf("gateway").ExportSubjectPublicKeyInfo()),
            "a truncated MAC" => Keyed(GatewayToCredentials)[..^4],
            "another user" => Keyed(GatewayToCredentials, user: "mallory"),
            "another body" => Keyed(GatewayToCredentials, signedBody: Body(new ListCredentials("kraken"))),
            "another message id" => Keyed(GatewayToCredentials, signedId: Guid.CreateVersion7()),
            "another query" => Keyed(GatewayToCredentials, name: "bitcain.credentials.get-credential-audit-events.v1"),
            "expired" => Keyed(GatewayToCredentials, at: now - TimeSpan.FromMinutes(5)),
            "too long a life" => BusAssertion.SignHmac(new BusClaims("gateway", alice, id.ToString(), ListName, BusAssertion.BodyHash(body),
                HttpQueryIdentity.Binding(ListName), now.ToUnixTimeSeconds(), (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds()), GatewayToCredentials),
            "an untrusted issuer" => Keyed(GatewayToCredentials, issuer: "mallory"),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        var (status, text) = await AskCredentialsAsync(alice, assertion, id, body);

        status.ShouldBe(HttpStatusCode.Unauthorized);
        text.ShouldNotContain(alice);
        suite.Logs.Lines.ShouldNotContain(line => line.Contains(assertion));
    }

    [Fact]
    public void a_pair_key_assertion_is_no_use_on_the_bus()
    {
        var id = Guid.CreateVersion7();
        var body = Body(new ListCredentials(null));
        var now = DateTimeOffset.UtcNow;
        // Even bound to a reply queue, as a bus query is: the bus admits ES256 signatures only.
        var assertion = BusAssertion.SignHmac(new BusClaims("gateway", "alice", id.ToString(), ListName, BusAssertion.BodyHash(body), "rabbitmq://queue/gateway.replies",
            now.ToUnixTimeSeconds(), (now + BusVerification.QueryLifetime).ToUnixTimeSeconds()), GatewayToCredentials);
        var trusted = new Dictionary<string, TrustedSigner> { ["gateway"] = new("gateway", TestBusIdentities.KeyOf("gateway"), ["*"], ["*"]) };

        BusVerification.Refusal(new ReceivedMessage(assertion, id, ListName, body, "rabbitmq://queue/gateway.replies", "alice"), trusted, now)
            .ShouldBe("malformed assertion");
    }

    [Fact]
    public async Task a_sync_and_a_market_query_take_the_same_way()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For(NewUser("reads")));
        var handler = (SuiteServiceHandler)suite.Gateway.Services.GetRequiredKeyedService<HttpMessageHandler>(HttpQueryClient.HandlerKey);
        var before = handler.Asked;

        (await api.GetSyncStatusAsync()).TotalCount.ShouldBe(0);
        (await api.GetSupportedExchangesAsync()).Exchanges.ShouldNotBeEmpty();

        handler.Asked.ShouldBe(before + 2);
    }

    private static string NewUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private Task<string> UserWithCredentialAsync(string prefix) => UserWithCredentialAsync(NewUser(prefix), prefix);

    private async Task<string> UserWithCredentialAsync(string user, string prefix)
    {
        // On a busy machine a store can outlast the gateway's wait (504); it stays queued and is applied.
        await Users.Client(suite.Gateway, TestTokens.For(user)).StoreAsync(Users.NewCredential(name: prefix));
        return user;
    }

    private static byte[] Body(object query) => JsonSerializer.SerializeToUtf8Bytes(query, query.GetType(), BitcainMessaging.JsonOptions);

    private static string Sign(string user) => HttpQueryIdentity.Sign(Gateway, ListName, Guid.Empty, user, Body(new ListCredentials(null)), DateTimeOffset.UtcNow);

    private async Task<(HttpStatusCode Status, string Text)> AskCredentialsAsync(string user, string? assertion, Guid? id = null, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HttpQueryIdentity.PathOf(ListName))
        {
            Content = new ByteArrayContent(body ?? Body(new ListCredentials(null))) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (assertion is not null) request.Headers.TryAddWithoutValidation(HttpQueryIdentity.AssertionHeader, assertion);
        request.Headers.TryAddWithoutValidation(HttpQueryIdentity.MessageIdHeader, (id ?? Guid.Empty).ToString());
        request.Headers.TryAddWithoutValidation(HttpQueryIdentity.UserHeader, user);
        var response = await suite.Credentials.Server.CreateClient().SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
