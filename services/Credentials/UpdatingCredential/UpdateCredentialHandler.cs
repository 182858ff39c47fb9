using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.Sealing;
using Bitcain.Credentials.ValidatingCredential;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Marten;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.Credentials.UpdatingCredential;

/// <summary>A change with its secret fields already re-sealed under the credential's data key (null = unchanged).</summary>
public sealed record CredentialChange(
    string? CredentialName,
    string? ApiKeyMasked,
    string? SealedApiKey,
    string? SealedApiSecret,
    string? SealedPassphrase,
    IReadOnlyList<string>? Permissions,
    IReadOnlyList<string>? IpWhitelist,
    JsonElement? ExchangeMetadata,
    bool? IsActive);

public static class UpdatingCredentialDecision
{
    /// <summary>Pure: one event per field that really changes; a new key or secret is a key rotation.</summary>
    public static IReadOnlyList<object> Decide(CredentialView current, CredentialChange change, DateTimeOffset now)
    {
        var id = current.Id;
        var events = new List<object>();
        if (change.CredentialName is { } name && name.Trim() != current.CredentialName)
            events.Add(new CredentialRenamed(id, name.Trim(), now));
        if (change.SealedApiKey is not null || change.SealedApiSecret is not null)
            events.Add(new CredentialKeyRotated(id, change.ApiKeyMasked ?? current.ApiKeyMasked,
                change.SealedApiKey ?? current.Secrets.ApiKey, change.SealedApiSecret ?? current.Secrets.ApiSecret, now));
        if (change.SealedPassphrase is { } passphrase)
            events.Add(new CredentialPassphraseChanged(id, passphrase, now));
        if (change.Permissions is { } permissions && !permissions.SequenceEqual(current.Permissions))
            events.Add(new CredentialPermissionsChanged(id, permissions, now));
        if (change.IpWhitelist is { } whitelist && !whitelist.SequenceEqual(current.IpWhitelist))
            events.Add(new CredentialWhitelistChanged(id, whitelist, now));
        if (change.ExchangeMetadata is { } metadata && metadata.GetRawText() != current.ExchangeMetadata?.GetRawText())
            events.Add(new CredentialMetadataChanged(id, metadata, now));
        if (change.IsActive is { } active && active != current.IsActive)
            events.Add(active ? new CredentialActivated(id, now) : new CredentialDeactivated(id, now));
        return events;
    }
}

/// <summary>
/// Wolverine's aggregate handler workflow: the stream is fetched for writing before the handler (optimistic concurrency
/// on its version: a change racing this one makes the commit fail, and the retry policy runs the handler again on the
/// newer state, so neither update is lost), and the events it returns are appended and committed with the reply.
/// </summary>
public static class UpdateCredentialHandler
{
    public static async Task<(CredentialReply, Events, OutgoingMessages)> Handle(
        UpdateCredential command, [WriteAggregate(nameof(UpdateCredential.CredentialId), Required = false)] CredentialView? current,
        Envelope envelope, IDocumentSession session, CredentialVault vault, SecretsIntake intake, TimeProvider clock, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        CredentialRules.ClearSecrets opened;
        try { opened = intake.OpenAll(command.Sealed, user); }
        catch (SecretsUnavailableException) { return (new CredentialReply(CredentialOutcome.Unsealable, null, SecretsIntake.UnsealableDetail), [], []); }
        var (violations, normalized) = CredentialRules.CheckUpdate(command, opened);
        if (violations.Count > 0) return (CredentialReply.Refused(violations), [], []);
        command = normalized;

        // Another user's credential is not in this user's tenant: missing too.
        if (current is null) return (CredentialReply.Missing(command.CredentialId), [], []);

        if (command.CredentialName is { } name && CredentialView.KeyOf(name) != current.NameKey)
        {
            var key = CredentialView.KeyOf(name);
            var taken = await session.Query<CredentialView>()
                .AnyAsync(c => c.ExchangeName == current.ExchangeName && c.NameKey == key && c.Id != current.Id, ct);
            if (taken)
                return (new CredentialReply(CredentialOutcome.Conflict, null,
                    $"A credential named '{name.Trim()}' already exists for {current.ExchangeName}"), [], []);
        }

        CredentialChange change;
        try
        {
            change = await ResealAsync(command, opened, current, session, vault, ct);
        }
        catch (SecretsUnavailableException)
        {
            return (new CredentialReply(CredentialOutcome.Unsealable, null, SecretsIntake.UnsealableDetail), [], []);
        }

        var now = clock.GetUtcNow();
        var events = UpdatingCredentialDecision.Decide(current, change, now);
        if (events.Count == 0) return (CredentialReply.Found(current.ToDetails()), [], []);

        var updated = CredentialEvolution.Evolve(current, events);
        return (CredentialReply.Found(updated.ToDetails()), [.. events], CredentialAnnouncements.For(user, updated, events, now));
    }

    /// <summary>Opens the sealed boxes and re-seals what differs from the stored secrets under the data key.</summary>
    private static async Task<CredentialChange> ResealAsync(UpdateCredential command, CredentialRules.ClearSecrets opened,
        CredentialView current, IDocumentSession session, CredentialVault vault, CancellationToken ct)
    {
        var (apiKey, apiSecret, passphrase) = (opened.ApiKey, opened.ApiSecret, string.IsNullOrEmpty(opened.Passphrase) ? null : opened.Passphrase);
        string? sealedKey = null, sealedSecret = null, sealedPassphrase = null;
        if (apiKey is not null || apiSecret is not null || passphrase is not null)
        {
            var dataKey = (await session.LoadAsync<CredentialDataKey>(current.Id, ct))?.Key
                          ?? throw new SecretsUnavailableException("The credential's data key is gone.");
            var stored = vault.Open(current.Id, current.Secrets, dataKey);
            if (apiKey is not null && apiKey != stored.ApiKey)
                sealedKey = vault.SealField(current.Id, CredentialVault.Field.ApiKey, apiKey, dataKey);
            if (apiSecret is not null && apiSecret != stored.ApiSecret)
                sealedSecret = vault.SealField(current.Id, CredentialVault.Field.ApiSecret, apiSecret, dataKey);
            if (passphrase is not null && passphrase != stored.Passphrase)
                sealedPassphrase = vault.SealField(current.Id, CredentialVault.Field.Passphrase, passphrase, dataKey);
        }
        return new CredentialChange(command.CredentialName, sealedKey is null ? null : command.ApiKeyMasked, sealedKey, sealedSecret,
            sealedPassphrase, command.Permissions, command.IpWhitelist, command.ExchangeMetadata, command.IsActive);
    }
}

/// <summary>The integration events (non-secret fields only) and the background validation a change calls for.</summary>
public static class CredentialAnnouncements
{
    public static OutgoingMessages For(string user, CredentialView updated, IReadOnlyList<object> events, DateTimeOffset now)
    {
        var outgoing = new OutgoingMessages
        {
            new CredentialChangedV1(updated.Id, user, updated.ExchangeName, updated.CredentialName,
                events.Select(EventName).ToList(), updated.Permissions, updated.IsActive, updated.ValidationStatus, now),
        };
        if (events.OfType<CredentialDeactivated>().Any())
            outgoing.Add(new CredentialDeactivatedV1(updated.Id, user, updated.ExchangeName, now));
        if (events.OfType<CredentialKeyRotated>().Any())
            outgoing.Add(new ValidateStoredCredential(updated.Id, updated.KeyChangedAt));
        return outgoing;
    }

    private static string EventName(object e) => e switch
    {
        CredentialRenamed => CredentialEventNames.Renamed,
        CredentialKeyRotated => CredentialEventNames.KeyRotated,
        CredentialPassphraseChanged => CredentialEventNames.PassphraseChanged,
        CredentialPermissionsChanged => CredentialEventNames.PermissionsChanged,
        CredentialWhitelistChanged => CredentialEventNames.WhitelistChanged,
        CredentialMetadataChanged => CredentialEventNames.MetadataChanged,
        CredentialActivated => CredentialEventNames.Activated,
        CredentialDeactivated => CredentialEventNames.Deactivated,
        CredentialValidated => CredentialEventNames.Validated,
        CredentialValidationFailed => CredentialEventNames.ValidationFailed,
        _ => e.GetType().Name,
    };
}
