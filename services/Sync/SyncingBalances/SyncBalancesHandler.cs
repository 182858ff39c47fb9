using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.ServiceDefaults;
using Wolverine;

namespace Bitcain.Sync.SyncingBalances;

public static class BalanceSync
{
    public const string NoCredentials = "no_credentials";

    /// <summary>The snapshot event and the reply for balances the exchange returned at <paramref name="now"/>.</summary>
    public static (BalancesSynced Event, BalanceSyncResult Result) Succeeded(Guid credentialId, string exchange,
        IReadOnlyDictionary<string, Balance> balances, DateTimeOffset now)
    {
        var lines = balances.Values.OrderBy(b => b.Currency, StringComparer.Ordinal)
            .Select(b => new SyncedBalance(b.Currency, b.Free, b.Locked, b.Total)).ToList();
        var held = lines.Where(l => l.Total != 0m).ToDictionary(l => l.Currency, l => new BalanceAmount(l.Free, l.Locked, l.Total));
        return (new BalancesSynced(credentialId, exchange, lines, now),
            new BalanceSyncResult(true, exchange, credentialId, held.Count, held, now, null, null));
    }

    public static BalanceSyncResult Failed(string exchange, Guid? credentialId, string errorType, string error, DateTimeOffset now) =>
        new(false, exchange, credentialId, 0, new Dictionary<string, BalanceAmount>(), now, error, errorType);

    public static string NoCredentialsMessage(string exchange, Guid? credentialId) => credentialId is { } id
        ? $"Credential {id} not found for {exchange}"
        : $"No active credentials for {exchange}; store one with POST /api/exchange/credentials";
}

/// <summary>
/// The balance sync's I/O: the credential service names and opens the account, the exchange answers; what it answered
/// goes to the account's stream through <see cref="RecordBalanceSnapshotHandler"/>, invoked in process so that the reply
/// leaves after the snapshot is committed (a client that syncs and then reads its balances sees them).
/// </summary>
public static class SyncBalancesHandler
{
    public static async Task<BalanceSyncResult> Handle(SyncBalances command, Envelope envelope, IMessageBus bus, ExchangeAccounts accounts,
        IExchangeClients clients, TimeProvider clock, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        var account = await accounts.OpenAsync(bus, user, command.Exchange, command.CredentialId, ct);
        if (account is null)
            return BalanceSync.Failed(command.Exchange, command.CredentialId, BalanceSync.NoCredentials,
                BalanceSync.NoCredentialsMessage(command.Exchange, command.CredentialId), clock.GetUtcNow());

        RecordBalanceSnapshot snapshot;
        // The account's calls wait their turn with other accounts' for the exchange's shared budget.
        using (Bitcain.Exchanges.RateLimits.ExchangeCallShare.Enter($"{user}/{account.CredentialId}"))
        {
            try
            {
                var balances = await clients.Get(command.Exchange).GetBalancesAsync(account.Credentials, ct);
                snapshot = new RecordBalanceSnapshot(account.CredentialId, command.Exchange, balances, null, clock.GetUtcNow());
                SyncMetrics.BalanceSync(command.Exchange, null);
            }
            catch (ExchangeException e)
            {
                snapshot = new RecordBalanceSnapshot(account.CredentialId, command.Exchange, null, ExchangeRefusal.Of(e), clock.GetUtcNow());
                SyncMetrics.BalanceSync(command.Exchange, e);
            }
        }
        return await bus.InvokeForTenantAsync<BalanceSyncResult>(user, snapshot with { Delivery = envelope }, ct, AccountStream.RecordTimeout);
    }
}
