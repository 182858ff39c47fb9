using System.Text.Json;
using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.ValidatingCredential;
using Bitcain.ServiceDefaults;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Wolverine.Runtime;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>
/// One middleware (UserCheck) refuses every <see cref="IUserMessage"/> that names no user, before its handler opens a
/// session; a message naming another user reaches only that user's tenant, where the first user's stream is not.
/// The message types come from the handlers themselves, so a new one without a sample below fails the test.
/// </summary>
[Collection(CredentialsCollection.Name)]
public sealed class UserCheckTests(CredentialsFixture fixture)
{
    private static readonly SealedFields Garbage = new("not-a-box", "not-a-box", null);

    private static readonly Dictionary<Type, Func<Guid, object>> Samples = new()
    {
        [typeof(StoreCredential)] = id => new StoreCredential(id, "binance", "Mine now", "AKIA****", false, ["read"], [], null, Garbage),
        [typeof(UpdateCredential)] = id => new UpdateCredential(id, "Mine now", null, new SealedFields(null, null, null), ["read", "trade", "withdraw"], null, null, false),
        [typeof(DeleteCredential)] = id => new DeleteCredential(id),
        [typeof(RecordCredentialUse)] = id => new RecordCredentialUse(id, DateTimeOffset.UtcNow.AddDays(1)),
        [typeof(RecordCredentialValidation)] = id => new RecordCredentialValidation(id, "auth_error", "Taken over", [], DateTimeOffset.UtcNow),
        [typeof(ValidateStoredCredential)] = id => new ValidateStoredCredential(id, DateTimeOffset.UtcNow),
        [typeof(ListCredentials)] = _ => new ListCredentials(null),
        [typeof(GetCredential)] = id => new GetCredential(id),
        [typeof(ValidateKey)] = _ => new ValidateKey("binance", Garbage),
        [typeof(GetCredentialEvents)] = id => new GetCredentialEvents(id),
        [typeof(GetCredentialAuditEvents)] = id => new GetCredentialAuditEvents(new AuditFilter(null, id, null, null, 100, 0)),
        [typeof(GetSealedCredential)] = id => new GetSealedCredential(id, "binance"),
    };

    private IReadOnlyList<Type> UserMessagesHandled() => ((WolverineRuntime)fixture.Suite.Credentials.Services.GetRequiredService<IWolverineRuntime>())
        .Handlers.Chains.Select(c => c.MessageType).Where(typeof(IUserMessage).IsAssignableFrom).ToList();

    [Fact]
    public void every_user_message_the_service_handles_has_a_sample_here()
    {
        var handled = UserMessagesHandled();
        handled.Where(t => !Samples.ContainsKey(t)).ShouldBeEmpty("a user message without a sample escapes the user check test");
        Samples.Keys.Where(t => !handled.Contains(t)).ShouldBeEmpty("a sample of a message the service does not handle (or not as a user message)");
    }

    [Fact]
    public async Task every_user_message_without_a_user_is_refused_and_another_users_changes_nothing_of_the_first_users_credential()
    {
        var owner = Api.NewUser(fixture.Suite.Gateway);
        var stranger = Api.NewUser(fixture.Suite.Gateway);
        var id = Guid.Parse(await owner.StoreAsync(Api.Credential(name: "Owned")));
        var before = await owner.WaitForAsync(id.ToString(), c => c.S("validation_status") != "pending");
        var store = fixture.Suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        async Task<long> VersionAsync()
        {
            await using var session = store.QuerySession(owner.User);
            return (await session.Events.FetchStreamStateAsync(id))!.Version;
        }
        var version = await VersionAsync();
        var refusals = fixture.Suite.Credentials.Services.GetRequiredService<IMissingUserReplies>();
        using var scope = fixture.Suite.Credentials.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();

        foreach (var type in UserMessagesHandled())
        {
            var message = Samples[type](id);
            if (refusals.For(message) is { } refusal)
            {
                var reply = await bus.InvokeAsync<object>(message);
                Json(reply).ShouldBe(Json(refusal), $"{type.Name} without a user");
                var strangers = Json(await bus.InvokeForTenantAsync<object>(stranger.User, message));
                strangers.ShouldNotContain("Owned", Case.Insensitive, $"{type.Name} for another user answered with the owner's credential");
                strangers.ShouldNotContain("\"outcome\":\"ok\"", Case.Insensitive, $"{type.Name} for another user");
            }
            else
            {
                await bus.InvokeAsync(message);
                await bus.InvokeForTenantAsync(stranger.User, message);
            }
        }

        (await VersionAsync()).ShouldBe(version, "no message of another user, or of no user, appended to the owner's stream");
        var (status, after) = await owner.GetAsync($"/api/exchange/credentials/{id}");
        status.ShouldBe(200);
        after!.ToJsonString().ShouldBe(before.ToJsonString());
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), BitcainMessaging.JsonOptions);
}
