using Bitcain.Credentials.Credential;
using Bitcain.Credentials.DeletingCredential;
using Bitcain.Credentials.UpdatingCredential;
using Bitcain.Credentials.ValidatingCredential;
using Bitcain.Secrets;
using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>The pure decisions, without a host: state and command in, events out.</summary>
public sealed class DecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly CredentialView Current = new()
    {
        Id = Guid.NewGuid(),
        CredentialName = "Main",
        NameKey = "main",
        ApiKeyMasked = "AKIA*********7890",
        Permissions = ["read", "trade"],
        IpWhitelist = ["203.0.113.7"],
        IsActive = true,
        ValidationStatus = "valid",
        Secrets = new SealedSecrets("sealed-key", "sealed-secret", null),
    };

    private static CredentialChange Change(string? name = null, string? sealedKey = null, IReadOnlyList<string>? permissions = null, bool? active = null) =>
        new(name, sealedKey is null ? null : "NEWK****2222", sealedKey, null, null, permissions, null, null, active);

    [Fact]
    public void a_deletion_ends_the_credentials_own_stream_at_the_time_given()
    {
        DeletingCredentialDecision.Decide(Current, Now).ShouldBe(new CredentialDeleted(Current.Id, Now));
    }

    [Fact]
    public void a_change_to_the_same_values_decides_nothing()
    {
        UpdatingCredentialDecision.Decide(Current, Change(name: "Main", permissions: ["read", "trade"], active: true), Now).ShouldBeEmpty();
    }

    [Fact]
    public void a_new_key_is_a_rotation_that_keeps_the_stored_secret_and_resets_validation()
    {
        var events = UpdatingCredentialDecision.Decide(Current, Change(sealedKey: "sealed-new-key"), Now);
        var rotated = events.ShouldHaveSingleItem().ShouldBeOfType<CredentialKeyRotated>();
        rotated.SealedApiKey.ShouldBe("sealed-new-key");
        rotated.SealedApiSecret.ShouldBe("sealed-secret");
        CredentialEvolution.Evolve(Current, events).ValidationStatus.ShouldBe("pending");
    }

    [Fact]
    public void each_changed_field_is_its_own_event()
    {
        var events = UpdatingCredentialDecision.Decide(Current, Change(name: "Trading", permissions: ["read"], active: false), Now);
        events.Select(e => e.GetType()).ShouldBe([typeof(CredentialRenamed), typeof(CredentialPermissionsChanged), typeof(CredentialDeactivated)]);
    }

    [Theory]
    [InlineData("valid", null)]
    [InlineData("auth_error", "invalid")]
    [InlineData("permission_denied", "invalid")]
    [InlineData("exchange_unavailable", "error")]
    [InlineData("network_error", "error")]
    [InlineData("rate_limited", "error")]
    public void what_the_exchange_said_decides_the_validation_status(string said, string? failedStatus)
    {
        var decided = ValidationDecision.Decide(Current.Id, said, "why", ["read"], Now);
        if (failedStatus is null) decided.ShouldBeOfType<CredentialValidated>();
        else decided.ShouldBeOfType<CredentialValidationFailed>().Status.ShouldBe(failedStatus);
    }
}
