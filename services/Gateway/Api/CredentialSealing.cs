using Bitcain.Contracts.Credentials;
using Bitcain.Gateway.Messaging;
using Bitcain.Secrets;

namespace Bitcain.Gateway.Api;

/// <summary>
/// Seals the key, secret and passphrase of a request for the credential service's public key before they go on
/// the bus, so the gateway never sends, stores or holds them beyond the request. The public key is asked for once
/// and cached; a service that no longer opens it (its master key rotated) answers Unsealable and the key is refetched.
/// </summary>
public sealed class CredentialSealing
{
    private volatile SealingKeyReply? _key;

    public async Task<(SealedFields? Sealed, IResult? Failure)> SealAsync(
        ServiceCalls calls, string userId, string? apiKey, string? apiSecret, string? passphrase, CancellationToken ct)
    {
        var key = _key;
        if (key is null)
        {
            var answer = await calls.AskAsync<SealingKeyReply>("credentials", null, new GetSealingKey(), false, ct);
            if (!answer.Answered) return (null, answer.Failure);
            _key = key = answer.Reply!;
        }
        return (new SealedFields(
            Seal(key, apiKey, userId, SealedFields.ApiKeyField),
            Seal(key, apiSecret, userId, SealedFields.ApiSecretField),
            Seal(key, passphrase, userId, SealedFields.PassphraseField)), null);
    }

    /// <summary>The service could not open what was sealed for the cached key: forget it so the next seal asks again.</summary>
    public void Forget() => _key = null;

    private static string? Seal(SealingKeyReply key, string? clear, string userId, string field) =>
        clear is null ? null : SealedBox.Seal(key.PublicKey, clear, SealingContext.For(userId, field));
}
