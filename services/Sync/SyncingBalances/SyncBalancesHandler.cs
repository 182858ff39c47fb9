using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.ServiceDefaults;
using Marten;
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
/// Not an aggregate handler: the account's stream is known only once the credential service has named the credential
/// (the command may name just the exchange), and it is appended exclusively (AccountStream) or created by the first sync.
/// </summary>
public static class SyncBalancesHandler
{
    public static async Task<(BalanceSyncResult, OutgoingMessages)> Handle(SyncBalances command, Envelope envelope, IDocumentSession session,
        IMessageBus bus, ExchangeAccounts accounts, IExchangeClients clients, TimeProvider clock, CancellationToken ct)
    {
        var outgoing = new OutgoingMessages();
        var user = UserCheck.Checked(envelope);

        var account = await accounts.OpenAsync(bus, user, command.Exchange, command.CredentialId, ct);
        if (account is null)
            return (BalanceSync.Failed(command.Exchange, command.CredentialId, BalanceSync.NoCredentials,
                BalanceSync.NoCredentialsMessage(command.Exchange, command.CredentialId), clock.GetUtcNow()), outgoing);

        // The account's calls wait their turn with other accounts' for the exchange's shared budget.
        using var share = Bitcain.Exchanges.RateLimits.ExchangeCallShare.Enter($"{user}/{account.CredentialId}");
        try
        {
            var balances = await clients.Get(command.Exchange).GetBalancesAsync(account.Credentials, ct);
            var (synced, result) = BalanceSync.Succeeded(account.CredentialId, command.Exchange, balances, clock.GetUtcNow());
            await AccountStream.AppendAsync(session, account.CredentialId, synced, ct);
            outgoing.Add(new BalancesSyncedV1(user, account.CredentialId, command.Exchange, result.CurrenciesSynced, synced.SyncedAt));
            await accounts.RecordUseAsync(bus, user, account.CredentialId, null);
            SyncMetrics.BalanceSync(command.Exchange, null);
            return (result, outgoing);
        }
        catch (ExchangeException e)
        {
            var now = clock.GetUtcNow();
            await AccountStream.AppendAsync(session, account.CredentialId, new SyncFailed(account.CredentialId, command.Exchange, "balances", e.ErrorTypeName, e.Message, now), ct);
            outgoing.Add(new SyncFailedV1(user, account.CredentialId, command.Exchange, "balances", e.ErrorTypeName, e.Message, now));
            await accounts.RecordUseAsync(bus, user, account.CredentialId, e);
            SyncMetrics.BalanceSync(command.Exchange, e);
            return (BalanceSync.Failed(command.Exchange, account.CredentialId, e.ErrorTypeName, e.Message, now), outgoing);
        }
    }
}
