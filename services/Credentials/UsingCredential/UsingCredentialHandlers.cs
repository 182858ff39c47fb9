using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Exchanges;
using Marten;
using Wolverine.Marten;

namespace Bitcain.Credentials.UsingCredential;

public static class GetSealedCredentialHandler
{
    /// <summary>
    /// The ciphertext and wrapped data key of the credential named, else of the user's most recently stored active
    /// credential for the exchange. Only a holder of the master key can open them.
    /// </summary>
    public static async Task<SealedCredentialReply> Handle(GetSealedCredential query, IQuerySession session, CancellationToken ct)
    {
        var exchange = ExchangeCatalog.TryResolve(query.ExchangeName, out var descriptor) ? descriptor.Id : query.ExchangeName;

        var view = query.CredentialId is { } id
            ? await session.LoadAsync<CredentialView>(id, ct)
            : await session.Query<CredentialView>()
                .Where(c => c.ExchangeName == exchange && c.IsActive)
                .OrderByDescending(c => c.CreatedAt)
                .FirstOrDefaultAsync(ct);
        if (view is null || view.ExchangeName != exchange) return SealedCredentialReply.None;

        var dataKey = await session.LoadAsync<CredentialDataKey>(view.Id, ct);
        if (dataKey is null) return SealedCredentialReply.None;
        return new SealedCredentialReply(true, view.Id, view.ExchangeName, view.IsActive, view.Secrets, dataKey.Key);
    }
}

public static class RecordCredentialUseHandler
{
    /// <summary>
    /// Every sync records a use: a burst of syncs of one account would collide on the credential's next version and
    /// rerun; the stream is fetched exclusively instead (its row locked), so they queue for the moment of the commit.
    /// </summary>
    public static Events Handle(RecordCredentialUse command,
        [WriteAggregate(nameof(RecordCredentialUse.CredentialId), Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] CredentialView? current) =>
        current is null ? [] : [new CredentialUsed(command.CredentialId, command.UsedAt)];
}
