using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Marten;
using Wolverine;

namespace Bitcain.Credentials.ReadingCredentials;

/// <summary>Answers the gateway's credential queries from the projection; the session is already scoped to the user.</summary>
public static class CredentialQueryHandler
{
    public static async Task<CredentialList> Handle(ListCredentials query, Envelope envelope, IQuerySession session, CancellationToken ct)
    {
        if (UserScope.Of(envelope) is null) return new CredentialList([]);

        var views = query.ExchangeName is null
            ? await session.Query<CredentialView>().OrderBy(c => c.CreatedAt).ToListAsync(ct)
            : await session.Query<CredentialView>().Where(c => c.ExchangeName == query.ExchangeName).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        return new CredentialList(views.Select(v => v.ToDetails()).ToList());
    }

    public static async Task<CredentialReply> Handle(GetCredential query, Envelope envelope, IQuerySession session, CancellationToken ct)
    {
        if (UserScope.Of(envelope) is null) return new CredentialReply(CredentialOutcome.Rejected, null, UserScope.MissingUser);

        var view = await session.LoadAsync<CredentialView>(query.CredentialId, ct);
        return view is null ? CredentialReply.Missing(query.CredentialId) : CredentialReply.Found(view.ToDetails());
    }
}
