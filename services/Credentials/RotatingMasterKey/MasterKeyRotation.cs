using Bitcain.Credentials.Credential;
using Bitcain.Secrets;
using Marten;

namespace Bitcain.Credentials.RotatingMasterKey;

/// <summary>
/// <c>dotnet Bitcain.Credentials.dll rotate-master-key</c>: with <c>Credentials__MasterKey</c> set to the NEW key and
/// <c>Credentials__PreviousMasterKeys</c> to the old one(s), re-wraps every credential's data key under the new key.
/// No event is rewritten: the data keys are the same, only their wrapping changes. Afterwards the old key may be
/// dropped from configuration. Safe to run again; it skips keys already wrapped by the new master key.
/// </summary>
public static class MasterKeyRotation
{
    public const string CommandName = "rotate-master-key";

    public sealed record Result(int Rewrapped, int AlreadyCurrent);

    public static async Task<Result> RewrapAllAsync(IDocumentStore store, CredentialVault vault, CancellationToken ct)
    {
        // Data keys are per user (tenant); the credential views say which users have any.
        await using var everyone = store.QuerySession();
        var users = (await everyone.Query<CredentialView>().Where(v => v.AnyTenant()).Select(v => v.UserId).ToListAsync(ct)).Distinct();

        int rewrapped = 0, current = 0;
        foreach (var user in users)
        {
            await using var session = store.LightweightSession(user);
            foreach (var dataKey in await session.Query<CredentialDataKey>().ToListAsync(ct))
            {
                if (vault.IsWrappedByCurrentKey(dataKey.Key)) { current++; continue; }
                session.Store(dataKey with { Key = vault.Rewrap(dataKey.Id, dataKey.Key) });
                rewrapped++;
            }
            await session.SaveChangesAsync(ct);
        }
        return new Result(rewrapped, current);
    }
}
