using Bitcain.Contracts.Credentials;
using Bitcain.Secrets;

namespace Bitcain.Gateway.Api;

/// <summary>
/// Seals the key, secret and passphrase of a request for the credential service's public key before they go on
/// the bus, so the gateway never sends, stores or holds them beyond the request. The public key is asked for once
/// and cached; a service that no longer opens it (its master key rotated) answers Unsealable and the key is refetched.
/// Anyone who can answer on the query queue can offer a key, so only a P-256 key pinned by fingerprint in
/// configuration (<see cref="FingerprintSetting"/>) is ever sealed for or cached.
/// </summary>
public sealed class CredentialSealing(IConfiguration configuration, ILogger<CredentialSealing> logger)
{
    public const string FingerprintSetting = "Gateway:SealingKeyFingerprint";

    public const string UnpinnedDetail =
        "The credentials service's sealing key cannot be trusted: Gateway__SealingKeyFingerprint is not set. No secret was sent.";

    public const string MismatchDetail =
        "The credentials service offered a sealing key that is not the pinned one (Gateway__SealingKeyFingerprint). No secret was sent.";

    public const string MalformedDetail =
        "The credentials service's sealing key cannot be trusted: Gateway__SealingKeyFingerprint is not a SHA-256 fingerprint. No secret was sent.";

    private readonly (SealingKeyPin? Pin, bool Malformed) _configured = ReadPin(configuration[FingerprintSetting]);
    private SealingKeyPin? Pin => _configured.Pin;
    // The pinned key with its public half imported once (importing costs as much as sealing a field). A key forgotten
    // while a request still seals with it is left to the collector, not disposed under that request.
    private volatile PinnedKey? _key;

    private sealed record PinnedKey(SealingKeyReply Reply, SealingRecipient Recipient);

    public async Task<(SealedFields? Sealed, ServiceFailure? Failure)> SealAsync(
        ServiceCalls calls, string userId, string? apiKey, string? apiSecret, string? passphrase, CancellationToken ct)
    {
        if (Pin is null)
        {
            logger.LogError("Refusing to seal: {Setting} is {State}, so no sealing key can be trusted", FingerprintSetting,
                _configured.Malformed ? "malformed" : "not configured");
            return (null, new ServiceFailure(StatusCodes.Status503ServiceUnavailable, _configured.Malformed ? MalformedDetail : UnpinnedDetail));
        }
        var key = _key;
        if (key is null)
        {
            var answer = await calls.AskAsync<SealingKeyReply>("credentials", null, new GetSealingKey(), false, ct);
            if (!answer.Answered) return (null, answer.Failure);
            if (!Pin.Accepts(answer.Reply!.PublicKey, out var reason))
            {
                // The fingerprint of what was offered helps find the impostor; the key itself is not logged.
                logger.LogError("Refusing to seal: {Reason} (offered fingerprint {Offered}); the key is not cached", reason, FingerprintOrNone(answer.Reply.PublicKey));
                return (null, new ServiceFailure(StatusCodes.Status503ServiceUnavailable, MismatchDetail));
            }
            _key = key = new PinnedKey(answer.Reply, new SealingRecipient(answer.Reply.PublicKey));
        }
        // One ephemeral key for the request's fields: its generation and agreement are most of what sealing costs.
        var boxes = SealedBox.SealAll(key.Recipient,
        [
            (apiKey, SealingContext.For(userId, SealedFields.ApiKeyField)),
            (apiSecret, SealingContext.For(userId, SealedFields.ApiSecretField)),
            (passphrase, SealingContext.For(userId, SealedFields.PassphraseField)),
        ]);
        return (new SealedFields(boxes[0], boxes[1], boxes[2]), null);
    }

    /// <summary>The service could not open what was sealed for the cached key: forget it so the next seal asks again.</summary>
    public void Forget() => _key = null;

    private static (SealingKeyPin?, bool) ReadPin(string? setting)
    {
        try { return (SealingKeyPin.Parse(setting), false); }
        catch (FormatException) { return (null, true); }
    }

    private static string FingerprintOrNone(string? publicKey)
    {
        try { return publicKey is null ? "none" : SealingKeyPin.FingerprintOf(publicKey); }
        catch (FormatException) { return "not base64"; }
    }
}
