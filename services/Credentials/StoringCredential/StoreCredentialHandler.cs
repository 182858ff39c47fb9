using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Marten;
using Wolverine;

namespace Bitcain.Credentials.StoringCredential;

public static class StoringCredentialDecision
{
    /// <summary>Pure: whether the command may start a new credential stream, and the event that does it.</summary>
    public static (CredentialReply? Refusal, CredentialStored? Stored) Decide(
        StoreCredential command, bool nameTaken, DateTimeOffset now)
    {
        if (nameTaken)
            return (new CredentialReply(CredentialOutcome.Conflict, null,
                $"A credential named '{command.CredentialName}' already exists for {command.ExchangeName}"), null);

        return (null, new CredentialStored(
            command.CredentialId, command.ExchangeName, command.CredentialName.Trim(), command.ApiKeyMasked,
            command.HasPassphrase, command.Permissions, command.IpWhitelist, command.ExchangeMetadata, now));
    }
}

public static class StoreCredentialHandler
{
    public static async Task<(CredentialReply, OutgoingMessages)> Handle(
        StoreCredential command, Envelope envelope, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var user = UserScope.Of(envelope);
        if (user is null) return (new CredentialReply(CredentialOutcome.Rejected, null, UserScope.MissingUser), []);

        // A redelivered command (the gateway chose the id) finds its own stream: answer as the first time did.
        var already = await session.LoadAsync<CredentialView>(command.CredentialId, ct);
        if (already is not null) return (CredentialReply.Found(already.ToDetails()), []);

        var key = CredentialView.KeyOf(command.CredentialName);
        var nameTaken = await session.Query<CredentialView>()
            .AnyAsync(c => c.ExchangeName == command.ExchangeName && c.NameKey == key, ct);

        var (refusal, stored) = StoringCredentialDecision.Decide(command, nameTaken, clock.GetUtcNow());
        if (refusal is not null) return (refusal, []);

        session.Events.StartStream<CredentialView>(command.CredentialId, stored!);
        var view = CredentialViewProjection.Create(new JasperFx.Events.Event<CredentialStored>(stored!) { TenantId = user });
        var published = new OutgoingMessages
        {
            new CredentialStoredV1(stored!.CredentialId, user, stored.ExchangeName, stored.CredentialName, stored.Permissions, stored.StoredAt),
        };
        return (CredentialReply.Found(view.ToDetails()), published);
    }
}
