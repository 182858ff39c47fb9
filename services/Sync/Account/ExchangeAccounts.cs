using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Exchanges;
using Bitcain.Secrets;
using Wolverine;

namespace Bitcain.Sync.Account;

/// <summary>A user's credential for one exchange, opened for exactly one use. The clear key never leaves this process.</summary>
public sealed record OpenedAccount(Guid CredentialId, string Exchange, ExchangeApiCredentials Credentials);

/// <summary>
/// Finds the user's credential through the credential service (which only hands out ciphertext) and opens it with
/// the master key here, so the gateway and the bus never carry a key in clear.
/// </summary>
public sealed class ExchangeAccounts(CredentialVault vault, TimeProvider clock)
{
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    /// <returns>null when the user has no such active credential (or no active one for the exchange).</returns>
    public async Task<OpenedAccount?> OpenAsync(IMessageBus bus, string user, string exchange, Guid? credentialId, CancellationToken ct)
    {
        var reply = await bus.InvokeForTenantAsync<SealedCredentialReply>(user, new GetSealedCredential(credentialId, exchange), ct, QueryTimeout);
        // A deactivated credential is kept but not used: the user switched it off.
        if (!reply.Found || !reply.IsActive || reply.CredentialId is not { } id || reply.Secrets is null || reply.DataKey is null) return null;
        var clear = vault.Open(id, reply.Secrets, reply.DataKey);
        return new OpenedAccount(id, exchange, new ExchangeApiCredentials(clear.ApiKey, clear.ApiSecret, clear.Passphrase));
    }

    /// <summary>Sets <c>last_used</c>; an authentication refusal also marks the credential invalid.</summary>
    public async Task RecordUseAsync(IMessageBus bus, string user, Guid credentialId, ExchangeException? failure)
    {
        var delivery = new DeliveryOptions { TenantId = user };
        foreach (var message in CredentialUse.Messages(credentialId, failure is null ? null : ExchangeRefusal.Of(failure), clock.GetUtcNow()))
            await bus.SendAsync(message, delivery);
    }
}
