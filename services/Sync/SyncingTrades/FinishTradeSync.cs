using System.Text.Json.Serialization;
using Bitcain.Contracts.Sync;
using Bitcain.ServiceDefaults;
using Bitcain.Sync.Account;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// How a trade sync's walk ended, for the account's stream: complete, or cut short by the exchange's
/// <paramref name="Refusal"/> with the progress not yet checkpointed and the reply's account of what it covered.
/// Local: invoked in process for the user's tenant, never on the broker.
/// </summary>
public sealed record FinishTradeSync(Guid CredentialId, string Exchange, string? Symbol, Guid? RunId, int Trades, int Duplicates, int Pages,
    ExchangeRefusal? Refusal, string? Covered, TradeSyncCheckpointed? PendingCheckpoint, DateTimeOffset At) : IAccountRecord
{
    [JsonIgnore] public Envelope? Delivery { get; init; }
}

/// <summary>
/// The run's end on the account's stream, decided on the run as it stands (<see cref="TradeSyncRun"/>, inline): a run
/// already recorded as ended is not ended again. Returns the events, the integration event and the credential's use,
/// and the caller's answer. The pages themselves were committed one by one while the walk went (TradePages).
/// </summary>
public static class FinishTradeSyncHandler
{
    public static (TradeSyncResult, Events, OutgoingMessages) Handle(FinishTradeSync command,
        [WriteAggregate(nameof(FinishTradeSync.CredentialId), Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] TradeSyncRun? run,
        Envelope envelope)
    {
        var user = UserCheck.Checked(envelope);
        var ends = command.RunId is { } id && !(run is { Finished: true } && run.RunId == id);
        var outgoing = new OutgoingMessages();
        var events = new Events();
        if (command.Refusal is { } refusal)
        {
            events.Add(new SyncFailed(command.CredentialId, command.Exchange, "trades", refusal.ErrorType, refusal.Error, command.At));
            if (command.PendingCheckpoint is { } walked) events.Add(walked);
            if (ends)
                events.Add(new TradeSyncFinished(command.CredentialId, command.Exchange, command.RunId!.Value, false, command.Trades, command.Duplicates,
                    command.Pages, refusal.ErrorType, command.Covered, command.At));
            outgoing.Add(new SyncFailedV1(user, command.CredentialId, command.Exchange, "trades", refusal.ErrorType, refusal.Error, command.At));
            outgoing.AddRange(CredentialUse.Messages(command.CredentialId, refusal, command.At));
            return (new TradeSyncResult(false, command.Exchange, command.CredentialId, command.Symbol, command.Trades, command.Duplicates, command.At,
                command.Covered ?? refusal.Error, refusal.ErrorType), events, outgoing);
        }

        if (command.PendingCheckpoint is { } last) events.Add(last);
        if (ends)
            events.Add(new TradeSyncFinished(command.CredentialId, command.Exchange, command.RunId!.Value, true, command.Trades, command.Duplicates,
                command.Pages, null, null, command.At));
        outgoing.Add(new TradesSyncedV1(user, command.CredentialId, command.Exchange, command.Symbol, command.Trades, command.Duplicates, command.At));
        outgoing.AddRange(CredentialUse.Messages(command.CredentialId, null, command.At));
        return (new TradeSyncResult(true, command.Exchange, command.CredentialId, command.Symbol, command.Trades, command.Duplicates, command.At, null, null),
            events, outgoing);
    }
}
