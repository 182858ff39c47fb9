using System.Text.Json.Serialization;
using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.ServiceDefaults;
using Bitcain.Sync.Account;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.Sync.SyncingBalances;

/// <summary>
/// What the exchange answered a balance sync (its balances, or its refusal), handed to the account's stream once the
/// credential service has named the account. Local: invoked in process for the user's tenant, never on the broker.
/// </summary>
public sealed record RecordBalanceSnapshot(Guid CredentialId, string Exchange, IReadOnlyDictionary<string, Balance>? Balances,
    ExchangeRefusal? Refusal, DateTimeOffset At) : IAccountRecord
{
    [JsonIgnore] public Envelope? Delivery { get; init; }
}

/// <summary>
/// The balance sync's decision on the account's stream: the snapshot (or the failure) as an event, the integration
/// event and the credential's use as messages, and the caller's answer. The stream is fetched exclusively (its row
/// locked until the commit, or created by the account's first sync), so syncs of one account on several instances
/// queue for the commit instead of failing on its version.
/// </summary>
public static class RecordBalanceSnapshotHandler
{
    public static (BalanceSyncResult, Events, OutgoingMessages) Handle(RecordBalanceSnapshot command,
        [WriteAggregate(nameof(RecordBalanceSnapshot.CredentialId), Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] ExchangeAccount? account,
        Envelope envelope)
    {
        var user = UserCheck.Checked(envelope);
        var outgoing = new OutgoingMessages();
        if (command.Refusal is { } refusal)
        {
            outgoing.Add(new SyncFailedV1(user, command.CredentialId, command.Exchange, "balances", refusal.ErrorType, refusal.Error, command.At));
            outgoing.AddRange(CredentialUse.Messages(command.CredentialId, refusal, command.At));
            return (BalanceSync.Failed(command.Exchange, command.CredentialId, refusal.ErrorType, refusal.Error, command.At),
                [new SyncFailed(command.CredentialId, command.Exchange, "balances", refusal.ErrorType, refusal.Error, command.At)], outgoing);
        }

        var (synced, result) = BalanceSync.Succeeded(command.CredentialId, command.Exchange, command.Balances ?? new Dictionary<string, Balance>(), command.At);
        outgoing.Add(new BalancesSyncedV1(user, command.CredentialId, command.Exchange, result.CurrenciesSynced, synced.SyncedAt));
        outgoing.AddRange(CredentialUse.Messages(command.CredentialId, null, command.At));
        return (result, [synced], outgoing);
    }
}
