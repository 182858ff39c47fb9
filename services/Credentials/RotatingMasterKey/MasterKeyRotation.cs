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
            await using var reader = store.QuerySession(user);
            foreach (var dataKey in await reader.Query<CredentialDataKey>().ToListAsync(ct))
            {
                if (vault.IsWrappedByCurrentKey(dataKey.Key)) { current++; continue; }
                if (await RewrapOneAsync(store, user, dataKey, vault, ct)) rewrapped++;
            }
        }
        return new Result(rewrapped, current);
    }

    /// <summary>
    /// Re-wraps one data key read earlier, only if its document still exists: a DELETE that committed since the read
    /// removed it, and an upsert would bring the shredded credential back. One transaction per key, so a key deleted
    /// under the rotation costs nothing to the others.
    /// </summary>
    /// <returns>false when the credential was deleted meanwhile.</returns>
    public static async Task<bool> RewrapOneAsync(IDocumentStore store, string user, CredentialDataKey read, CredentialVault vault, CancellationToken ct)
    {
        await using var session = store.LightweightSession(user);
        // UPDATE ... WHERE id = (the row), never an upsert: no row, no write.
        session.QueueSqlCommand(
            $"UPDATE {store.Options.Schema.For<CredentialDataKey>()} SET data = ?::jsonb, mt_last_modified = now() WHERE id = ? AND tenant_id = ?",
            store.Options.Serializer().ToJson(read with { Key = vault.Rewrap(read.Id, read.Key) }), read.Id, user);
        await session.SaveChangesAsync(ct);
        await using var check = store.QuerySession(user);
        return await check.LoadAsync<CredentialDataKey>(read.Id, ct) is not null;
    }
}
