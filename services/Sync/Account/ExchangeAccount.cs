using Bitcain.Contracts.Credentials;
using Bitcain.Exchanges;
using Marten.Events.Aggregation;

namespace Bitcain.Sync.Account;

/// <summary>
/// The write model of an account's stream (id = credential id): what its aggregate handlers lock and read. Kept inline
/// as one small document that follows the account's balance snapshots and settings only: a trade page (<see cref="TradesSynced"/>)
/// a walk's start, checkpoints and end, and a failure leave it alone, so storing a page pays no extra document write.
/// </summary>
public sealed class ExchangeAccount
{
    public Guid Id { get; set; }
    public string Exchange { get; set; } = "";
    public DateTimeOffset? LastBalanceSync { get; set; }
    public bool? SpotBnbBurn { get; set; }
    public bool? InterestBnbBurn { get; set; }
}

public sealed class ExchangeAccountProjection : SingleStreamProjection<ExchangeAccount, Guid>
{
    public ExchangeAccount Create(BalancesSynced e) => Apply(e, new ExchangeAccount { Id = e.CredentialId, Exchange = e.Exchange });
    public ExchangeAccount Create(BnbBurnChanged e) => Apply(e, new ExchangeAccount { Id = e.CredentialId, Exchange = e.Exchange });

    public ExchangeAccount Apply(BalancesSynced e, ExchangeAccount current) => Next(current, a => a.LastBalanceSync = e.SyncedAt);

    public ExchangeAccount Apply(BnbBurnChanged e, ExchangeAccount current) => Next(current, a =>
    {
        a.SpotBnbBurn = e.SpotBnbBurn;
        a.InterestBnbBurn = e.InterestBnbBurn;
    });

    private static ExchangeAccount Next(ExchangeAccount current, Action<ExchangeAccount> change)
    {
        var next = new ExchangeAccount
        {
            Id = current.Id, Exchange = current.Exchange, LastBalanceSync = current.LastBalanceSync, SpotBnbBurn = current.SpotBnbBurn,
            InterestBnbBurn = current.InterestBnbBurn,
        };
        change(next);
        return next;
    }
}

/// <summary>What the exchange said when it refused or could not answer: the typed error, never a key.</summary>
public sealed record ExchangeRefusal(string ErrorType, string Error, bool KeyRejected)
{
    public static ExchangeRefusal Of(ExchangeException e) =>
        new(e.ErrorTypeName, e.Message, e.ErrorType is ExchangeErrorType.AuthError or ExchangeErrorType.PermissionDenied);
}

/// <summary>What every use of a credential tells the credential service: <c>last_used</c>, and a rejected key's validation.</summary>
public static class CredentialUse
{
    public static IEnumerable<object> Messages(Guid credentialId, ExchangeRefusal? refusal, DateTimeOffset at)
    {
        yield return new RecordCredentialUse(credentialId, at);
        if (refusal is { KeyRejected: true })
            yield return new RecordCredentialValidation(credentialId, refusal.ErrorType, refusal.Error, [], at);
    }
}
