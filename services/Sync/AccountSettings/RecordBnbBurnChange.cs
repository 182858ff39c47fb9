using System.Text.Json.Serialization;
using Bitcain.Contracts.Sync;
using Bitcain.Sync.Account;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.Sync.AccountSettings;

/// <summary>The BNB burn settings the exchange confirmed, for the account's stream. Local: invoked in process, never on the broker.</summary>
public sealed record RecordBnbBurnChange(Guid CredentialId, string Exchange, bool SpotBnbBurn, bool InterestBnbBurn, DateTimeOffset At) : IAccountRecord
{
    [JsonIgnore] public Envelope? Delivery { get; init; }
}

/// <summary>The confirmed change as the account's event, the credential's use, and the caller's answer.</summary>
public static class RecordBnbBurnChangeHandler
{
    public static (BnbBurnReply, Events, OutgoingMessages) Handle(RecordBnbBurnChange command,
        [WriteAggregate(nameof(RecordBnbBurnChange.CredentialId), Required = false, LoadStyle = ConcurrencyStyle.Exclusive)] ExchangeAccount? account) =>
        (new BnbBurnReply(AccountSettingOutcome.Ok, command.SpotBnbBurn, command.InterestBnbBurn, null, null),
            [new BnbBurnChanged(command.CredentialId, command.Exchange, command.SpotBnbBurn, command.InterestBnbBurn, command.At)],
            [.. CredentialUse.Messages(command.CredentialId, null, command.At)]);
}
