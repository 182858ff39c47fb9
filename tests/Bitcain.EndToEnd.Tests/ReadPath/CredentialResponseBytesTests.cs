using System.Text;
using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.ReadingCredentials;
using Bitcain.Gateway.Api;
using Bitcain.Gateway.Http;
using Bitcain.ServiceDefaults.ServiceQueries;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Bitcain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.ReadPath;

/// <summary>
/// The credentials service writes the REST bodies of the credential reads and the gateway forwards them unread: they
/// must be, byte for byte, what the gateway's typed path writes from the bus reply (the service's reply read back,
/// mapped to the response records and serialized with the contract's JSON options).
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class CredentialResponseBytesTests(BitcainSuite suite)
{
    [Fact]
    public void the_written_bodies_are_the_typed_paths_bytes_for_every_field_set_and_unset()
    {
        var views = new[] { EverythingSet(), NothingSet(), NullsInside() };

        Text(CredentialResponses.ListBody(views)).ShouldBe(Text(TypedList(views)));
        foreach (var view in views)
            Text(CredentialResponses.DetailBody(view)).ShouldBe(Text(TypedDetail(view)));
        Text(CredentialResponses.ListBody([])).ShouldBe(Text(TypedList([])));
    }

    [Fact]
    public void the_written_bodies_never_carry_the_sealed_secrets_or_the_views_bookkeeping()
    {
        var view = EverythingSet();
        var text = Text(CredentialResponses.ListBody([view])) + Text(CredentialResponses.DetailBody(view));

        foreach (var kept in new[] { view.Secrets.ApiKey, view.Secrets.ApiSecret, view.Secrets.Passphrase!, "name_key", "key_changed_at", "secrets", "version" })
            text.ShouldNotContain(kept);
    }

    [Fact]
    public async Task the_gateway_forwards_the_services_bodies_and_they_match_the_typed_path_for_stored_credentials()
    {
        var user = $"bytes-{Guid.NewGuid():N}"[..20];
        var api = new ApiClient(suite.Gateway, TestTokens.For(user));
        var everything = await StoreAsync(api, new Dictionary<string, object?>
        {
            ["exchange_name"] = "kucoin",
            ["credential_name"] = "Trading \"desk\" <main> & café 日本 😀",
            ["api_key"] = "KUCOINKEY-0123456789",
            ["api_secret"] = "kucoin-secret-0123456789",
            ["api_passphrase"] = "kucoin-passphrase",
            ["permissions"] = new[] { "read", "trade", "withdraw" },
            ["ip_whitelist"] = new[] { "203.0.113.7", "2001:db8::/32" },
            ["exchange_metadata"] = JsonDocument.Parse("""{"testnet":true,"sub":{"ratio":1.50,"big":1e3,"tag":"</script>\u00e9"},"list":[1,"two",null]}""").RootElement,
        });
        var nothing = await StoreAsync(api, new Dictionary<string, object?>
        {
            ["exchange_name"] = "binance",
            ["api_key"] = "BINANCEKEY-0123456789",
            ["api_secret"] = "binance-secret-0123456789",
        });
        var handler = (SuiteServiceHandler)suite.Gateway.Services.GetRequiredKeyedService<HttpMessageHandler>(HttpQueryClient.HandlerKey);
        using var scope = suite.Gateway.Services.CreateScope();
        var calls = scope.ServiceProvider.GetRequiredService<ServiceCalls>();

        // Background validation moves the credentials on while the test reads: compare reads of one settled state.
        await Settled(async () =>
        {
            var before = handler.Asked;
            var forwarded = await Raw(user, "/api/exchange/credentials");
            handler.Asked.ShouldBe(before + 1);
            var typed = await calls.AskAsync<CredentialList>("credentials", user, new ListCredentials(null), false, default);
            return (forwarded, Text(GatewayJson(new CredentialListResponse(typed.Reply!.Credentials.Select(CredentialResponse.From).ToList(), typed.Reply.Credentials.Count))));
        });
        await Settled(async () =>
        {
            var forwarded = await Raw(user, "/api/exchange/credentials?exchange_name=KuCoin");
            var typed = await calls.AskAsync<CredentialList>("credentials", user, new ListCredentials("kucoin"), false, default);
            typed.Reply!.Credentials.ShouldHaveSingleItem();
            return (forwarded, Text(GatewayJson(new CredentialListResponse(typed.Reply.Credentials.Select(CredentialResponse.From).ToList(), 1))));
        });
        foreach (var id in new[] { everything, nothing })
        {
            await Settled(async () =>
            {
                var forwarded = await Raw(user, $"/api/exchange/credentials/{id}");
                var typed = await calls.AskAsync<CredentialReply>("credentials", user, new GetCredential(id), false, default);
                return (forwarded, Text(GatewayJson(CredentialDetailResponse.From(typed.Reply!.Credential!))));
            });
        }
    }

    [Fact]
    public async Task an_unknown_or_another_users_credential_is_the_contracts_404()
    {
        var owner = new ApiClient(suite.Gateway, TestTokens.For($"owner-{Guid.NewGuid():N}"[..20]));
        var id = await StoreAsync(owner, (Dictionary<string, object?>)ApiClient.NewCredential(name: "Owned"));
        var other = new ApiClient(suite.Gateway, TestTokens.For($"other-{Guid.NewGuid():N}"[..20]));

        foreach (var asked in new[] { id, Guid.NewGuid() })
        {
            var (status, body, _) = await other.GetAsync($"/api/exchange/credentials/{asked.ToString().ToUpperInvariant()}");
            status.ShouldBe(404);
            body!["detail"]!.GetValue<string>().ShouldBe($"Credential {asked.ToString().ToUpperInvariant()} not found");
        }
        var (listed, list, _) = await other.GetAsync("/api/exchange/credentials");
        listed.ShouldBe(200);
        list!["total_count"]!.GetValue<int>().ShouldBe(0);
    }

    private static async Task Settled(Func<Task<(HttpResponseMessage Forwarded, string Typed)>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (first, typedBefore) = await read();
            var (forwarded, typedAfter) = await read();
            if (typedBefore != typedAfter && attempt < 20)
            {
                await Task.Delay(250);
                continue;
            }
            forwarded.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            forwarded.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
            (await forwarded.Content.ReadAsStringAsync()).ShouldBe(typedAfter);
            first.Dispose();
            return;
        }
    }

    private async Task<HttpResponseMessage> Raw(string user, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For(user));
        return await suite.Gateway.Server.CreateClient().SendAsync(request);
    }

    private static async Task<Guid> StoreAsync(ApiClient api, Dictionary<string, object?> body)
    {
        var (status, stored, _) = await api.PostAsync("/api/exchange/credentials", body);
        status.ShouldBe(201);
        return Guid.Parse(stored!["id"]!.GetValue<string>());
    }

    // What the gateway's typed path does: the bus reply's JSON read back, mapped, written with the contract's options.
    private static byte[] TypedList(IEnumerable<CredentialView> views)
    {
        var reply = OverTheWire(new CredentialList(views.Select(v => v.ToDetails()).ToList()));
        return GatewayJson(new CredentialListResponse(reply.Credentials.Select(CredentialResponse.From).ToList(), reply.Credentials.Count));
    }

    private static byte[] TypedDetail(CredentialView view) =>
        GatewayJson(CredentialDetailResponse.From(OverTheWire(CredentialReply.Found(view.ToDetails())).Credential!));

    private static T OverTheWire<T>(T reply) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(reply, BitcainMessaging.JsonOptions), BitcainMessaging.JsonOptions)!;

    private static byte[] GatewayJson<T>(T body) => JsonSerializer.SerializeToUtf8Bytes(body, Bitcain.Edge.EdgeJson.Options);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static CredentialView EverythingSet() => new()
    {
        Id = Guid.Parse("0193b0a4-5c2e-7d41-9a3f-2b6c8e1d4f70"),
        UserId = "user-\"quoted\" <é>",
        ExchangeName = "kucoin",
        CredentialName = "Trading \"desk\" <main> & café 日本 😀 \\ \t tab \u0001 control",
        NameKey = "trading",
        ApiKeyMasked = "KUCO************6789",
        HasPassphrase = true,
        Permissions = ["read", "trade", "withdraw"],
        IpWhitelist = ["203.0.113.7", "2001:db8::/32"],
        ExchangeMetadata = JsonDocument.Parse("""{"testnet":true,"sub":{"ratio":1.50,"big":1e3,"tag":"<\/script>\u00e9\ud83d\ude00"},"list":[1,"two",null,false]}""").RootElement,
        IsActive = false,
        // Whole seconds, milliseconds, 100 ns ticks (written to the microsecond), another offset (written in UTC).
        LastUsed = new DateTimeOffset(2026, 12, 7, 5, 24, 28, TimeSpan.Zero),
        LastValidation = new DateTimeOffset(2026, 12, 7, 5, 24, 28, 123, TimeSpan.Zero),
        ValidationStatus = "invalid",
        ValidationError = "Invalid API key: 'KUCO…' <rejected> \"by\" the exchange",
        CreatedAt = new DateTimeOffset(2026, 12, 7, 7, 24, 28, TimeSpan.FromHours(2)).AddTicks(1_234_567),
        UpdatedAt = new DateTimeOffset(2026, 12, 7, 5, 24, 28, TimeSpan.Zero).AddTicks(9),
        Secrets = new SealedSecrets("sealed-key-ciphertext", "sealed-secret-ciphertext", "sealed-passphrase-ciphertext"),
        KeyChangedAt = DateTimeOffset.UnixEpoch,
        Version = 7,
    };

    private static CredentialView NothingSet() => new()
    {
        Id = Guid.Parse("0193b0a4-5c2e-7d41-9a3f-2b6c8e1d4f71"),
        UserId = "u",
        ExchangeName = "binance",
        CredentialName = "Default",
        ApiKeyMasked = "BINA****6789",
        CreatedAt = new DateTimeOffset(2026, 12, 7, 5, 24, 28, 500, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2026, 12, 7, 5, 24, 28, 500, TimeSpan.Zero),
    };

    private static CredentialView NullsInside() => NothingSet() with
    {
        Id = Guid.Parse("0193b0a4-5c2e-7d41-9a3f-2b6c8e1d4f72"),
        ExchangeMetadata = JsonDocument.Parse("null").RootElement,
        Permissions = null!,
        IpWhitelist = null!,
        ValidationError = "",
    };
}
