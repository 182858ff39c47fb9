using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.Sealing;
using Bitcain.Exchanges;
using Bitcain.Secrets;
using Bitcain.Contracts;
using Bitcain.ServiceDefaults;
using Marten;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.Credentials.ValidatingCredential;

/// <summary>
/// Sent by this service to itself through the durable outbox after a key is stored or rotated.
/// <see cref="KeyChangedAt"/> tells which key it is about: a result for a key replaced meanwhile is dropped.
/// </summary>
public sealed record ValidateStoredCredential(Guid CredentialId, DateTimeOffset KeyChangedAt) : IUserMessage;

/// <summary>What the exchange said of a key, as the contract names it.</summary>
public sealed record KeyCheck(bool Valid, IReadOnlyList<string> Permissions, string? ErrorType, string? Error)
{
    public static async Task<KeyCheck> RunAsync(IExchangeClients clients, string exchange, SecretMaterial clear, CancellationToken ct)
    {
        if (!clients.TryGet(exchange, out var client))
            return new KeyCheck(false, [], "invalid_request", $"Bitcain cannot check keys of {exchange} yet");
        var key = new ExchangeApiCredentials(clear.ApiKey, clear.ApiSecret, clear.Passphrase);
        try
        {
            if (client.Capabilities.HasFlag(ExchangeCapabilities.KeyPermissions))
                return new KeyCheck(true, (await client.GetKeyPermissionsAsync(key, ct)).Names, null, null);
            // An exchange that reports no key permissions (Gate.io): a signed balance read proves the key and its
            // read permission, and claims nothing more.
            await client.GetBalancesAsync(key, ct);
            return new KeyCheck(true, ["read"], null, null);
        }
        catch (ExchangeException e)
        {
            return new KeyCheck(false, [], e.ErrorTypeName, e.Message);
        }
    }
}

public static class ValidationDecision
{
    /// <summary>Pure: the event a validation result becomes. auth_error and permission_denied make the key invalid.</summary>
    public static object Decide(Guid credentialId, string status, string? error, IReadOnlyList<string> permissions, DateTimeOffset at) =>
        status switch
        {
            "valid" => new CredentialValidated(credentialId, permissions, at),
            "auth_error" or "permission_denied" or "invalid" =>
                new CredentialValidationFailed(credentialId, "invalid", status == "invalid" ? "auth_error" : status, error ?? status, at),
            _ => new CredentialValidationFailed(credentialId, "error", status == "error" ? "exchange_error" : status, error ?? status, at),
        };
}

public static class ValidateKeyHandler
{
    /// <summary>Checks a key for the caller without writing anything anywhere; the clear key lives only for the call.</summary>
    public static async Task<KeyValidationReply> Handle(ValidateKey query, Envelope envelope, SecretsIntake intake, IExchangeClients clients, CancellationToken ct)
    {
        SecretMaterial clear;
        try { clear = intake.OpenMaterial(query.Sealed, UserCheck.Checked(envelope)); }
        catch (SecretsUnavailableException) { return new KeyValidationReply(false, query.ExchangeName, [], SecretsIntake.UnsealableDetail, "unsealable"); }

        var check = await KeyCheck.RunAsync(clients, query.ExchangeName, clear, ct);
        return new KeyValidationReply(check.Valid, query.ExchangeName, check.Permissions, check.Error, check.ErrorType);
    }
}

public static class ValidateStoredCredentialHandler
{
    /// <summary>
    /// Not an aggregate handler on purpose: the exchange is asked before the stream is fetched for writing, so a use
    /// recorded during the call (every sync records one) does not move the version under it and rerun the check.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(ValidateStoredCredential message, IDocumentSession session,
        CredentialVault vault, IExchangeClients clients, TimeProvider clock, CancellationToken ct)
    {
        // The view and its data key in one round trip.
        var batch = session.CreateBatchQuery();
        var viewRead = batch.Load<CredentialView>(message.CredentialId);
        var dataKeyRead = batch.Load<CredentialDataKey>(message.CredentialId);
        await batch.Execute(ct);
        var (view, dataKey) = (await viewRead, await dataKeyRead);
        if (view is null || dataKey is null || view.KeyChangedAt != message.KeyChangedAt) return [];

        var check = await KeyCheck.RunAsync(clients, view.ExchangeName, vault.Open(view.Id, view.Secrets, dataKey.Key), ct);
        var stream = await session.Events.FetchForWriting<CredentialView>(message.CredentialId, ct);
        if (stream.Aggregate is not { } current || current.KeyChangedAt != message.KeyChangedAt) return [];

        var outcome = ValidationDecision.Decide(current.Id, check.Valid ? "valid" : check.ErrorType ?? "exchange_error",
            check.Error, check.Permissions, clock.GetUtcNow());
        stream.AppendOne(outcome);
        return [];
    }
}

public static class RecordCredentialValidationHandler
{
    /// <summary>What another service (sync) learned about the key while using it.</summary>
    public static Events Handle(RecordCredentialValidation command,
        [WriteAggregate(nameof(RecordCredentialValidation.CredentialId), Required = false)] CredentialView? current) =>
        current is null ? [] : [ValidationDecision.Decide(command.CredentialId, command.Status, command.Error, command.Permissions, command.At)];
}
