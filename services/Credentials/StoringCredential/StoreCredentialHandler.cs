using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.Sealing;
using Bitcain.Credentials.ValidatingCredential;
using Bitcain.Exchanges;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Marten;
using Wolverine;

namespace Bitcain.Credentials.StoringCredential;

public static class StoringCredentialDecision
{
    /// <summary>Pure: whether the command may start a new credential stream, and the event that does it.</summary>
    public static (CredentialReply? Refusal, CredentialStored? Stored) Decide(
        StoreCredential command, bool nameTaken, SealedSecrets secrets, DateTimeOffset now)
    {
        if (nameTaken)
            return (new CredentialReply(CredentialOutcome.Conflict, null,
                $"A credential named '{command.CredentialName.Trim()}' already exists for {command.ExchangeName}"), null);

        return (null, new CredentialStored(
            command.CredentialId, command.ExchangeName, command.CredentialName.Trim(), command.ApiKeyMasked,
            secrets.Passphrase is not null, command.Permissions, command.IpWhitelist, command.ExchangeMetadata, now, secrets));
    }
}

/// <summary>
/// Not an aggregate handler: it starts a stream rather than loading one, and first reads across the user's streams
/// (is the name taken on the exchange?).
/// </summary>
public static class StoreCredentialHandler
{
    public static async Task<(CredentialReply, OutgoingMessages)> Handle(
        StoreCredential command, Envelope envelope, IDocumentSession session, CredentialVault vault, SecretsIntake intake,
        TimeProvider clock, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);

        // Both reads a store needs go to the database in one round trip: whether a redelivered command (the gateway
        // chose the id) finds its own stream, and whether the name is taken. The name is asked for as the rules will
        // normalize it (the exchange's id for an alias, the default name when none is given).
        var batch = session.CreateBatchQuery();
        var alreadyRead = batch.Load<CredentialView>(command.CredentialId);
        var exchangeId = ExchangeCatalog.TryResolve(command.ExchangeName, out var named) ? named.Id : command.ExchangeName;
        var key = CredentialView.KeyOf(command.CredentialName ?? CredentialRules.DefaultName);
        var takenRead = batch.Query<CredentialView>().Where(c => c.ExchangeName == exchangeId && c.NameKey == key).Any();
        await batch.Execute(ct);

        // A redelivered command finds its own stream: answer as the first time did.
        var already = await alreadyRead;
        if (already is not null) return (CredentialReply.Found(already.ToDetails()), []);

        CredentialRules.ClearSecrets opened;
        try { opened = intake.OpenAll(command.Sealed, user); }
        catch (SecretsUnavailableException) { return (new CredentialReply(CredentialOutcome.Unsealable, null, SecretsIntake.UnsealableDetail), []); }

        // The same rules as the REST API's, whoever put the command on the bus: a credential for an exchange that does
        // not exist, or with a key no exchange issues, would otherwise fail every sync that ever picks it.
        var (violations, normalized) = CredentialRules.CheckStore(command, opened);
        if (violations.Count > 0) return (CredentialReply.Refused(violations), []);
        command = normalized;
        var clear = new SecretMaterial(opened.ApiKey!, opened.ApiSecret!, string.IsNullOrEmpty(opened.Passphrase) ? null : opened.Passphrase);

        // The rules normalize as the batch guessed; were they ever to differ, the name is asked for again.
        var normalizedKey = CredentialView.KeyOf(command.CredentialName);
        var nameTaken = command.ExchangeName == exchangeId && normalizedKey == key
            ? await takenRead
            : await session.Query<CredentialView>().AnyAsync(c => c.ExchangeName == command.ExchangeName && c.NameKey == normalizedKey, ct);

        var (sealedSecrets, dataKey) = vault.SealNew(command.CredentialId, clear);
        var (refusal, stored) = StoringCredentialDecision.Decide(command, nameTaken, sealedSecrets, clock.GetUtcNow());
        if (refusal is not null) return (refusal, []);

        session.Events.StartStream<CredentialView>(command.CredentialId, stored!);
        session.Store(new CredentialDataKey(command.CredentialId, dataKey));
        var view = CredentialViewProjection.Create(new JasperFx.Events.Event<CredentialStored>(stored!) { TenantId = user });
        var outgoing = new OutgoingMessages
        {
            new CredentialStoredV1(stored!.CredentialId, user, stored.ExchangeName, stored.CredentialName, stored.Permissions, stored.StoredAt),
            new ValidateStoredCredential(stored.CredentialId, stored.StoredAt),
        };
        return (CredentialReply.Found(view.ToDetails()), outgoing);
    }
}
