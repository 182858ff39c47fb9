using Bitcain.Contracts.Credentials;
using Bitcain.Secrets;

namespace Bitcain.Credentials.Sealing;

/// <summary>
/// Opens the sealed boxes the gateway sends (sealed for this service's public key, bound to the user and field).
/// A box sealed for the key of a master key just rotated away still opens with that key's pair.
/// </summary>
public sealed class SecretsIntake(CredentialVault vault)
{
    private readonly IReadOnlyList<ServiceSealingKey> _keys = [vault.SealingKey, .. vault.PreviousSealingKeys];

    public ServiceSealingKey Current => _keys[0];

    /// <exception cref="SecretsUnavailableException">the box opens under none of the keys, or not for this user and field.</exception>
    public string Open(string box, string userId, string field)
    {
        var context = SealingContext.For(userId, field);
        foreach (var key in _keys)
        {
            try { return key.Open(box, context); }
            catch (SecretsUnavailableException) when (key != _keys[^1]) { }
        }
        throw new SecretsUnavailableException("The sealed field opens under no sealing key of this service.");
    }

    public string? OpenOptional(string? box, string userId, string field) => box is null ? null : Open(box, userId, field);

    /// <summary>Whatever fields a command carries, opened; which of them it must carry is for the rules to say.</summary>
    public CredentialRules.ClearSecrets OpenAll(SealedFields? fields, string userId)
    {
        var opened = OpenFields(fields?.ApiKey, fields?.ApiSecret, fields?.Passphrase, userId);
        return new(opened[0], opened[1], opened[2]);
    }

    /// <summary>The key, secret and passphrase of a request that must carry the first two.</summary>
    public SecretMaterial OpenMaterial(SealedFields fields, string userId)
    {
        var opened = OpenFields(fields.ApiKey ?? throw new SecretsUnavailableException("No sealed api_key."),
            fields.ApiSecret ?? throw new SecretsUnavailableException("No sealed api_secret."), fields.Passphrase, userId);
        return new(opened[0]!, opened[1]!, opened[2]);
    }

    /// <summary>
    /// The fields together: boxes the gateway sealed with one ephemeral key share one agreement (SealedBox.SealAll).
    /// Fields sealed under different keys of this service (a sender caught by a rotation) are opened one by one.
    /// </summary>
    private string?[] OpenFields(string? apiKey, string? apiSecret, string? passphrase, string userId)
    {
        (string?, string)[] boxes =
        [
            (apiKey, SealingContext.For(userId, SealedFields.ApiKeyField)),
            (apiSecret, SealingContext.For(userId, SealedFields.ApiSecretField)),
            (passphrase, SealingContext.For(userId, SealedFields.PassphraseField)),
        ];
        foreach (var key in _keys)
        {
            try { return key.OpenAll(boxes); }
            catch (SecretsUnavailableException) { }
        }
        return [OpenOptional(apiKey, userId, SealedFields.ApiKeyField), OpenOptional(apiSecret, userId, SealedFields.ApiSecretField),
            OpenOptional(passphrase, userId, SealedFields.PassphraseField)];
    }

    public const string UnsealableDetail = "The secret fields could not be opened (sealed for another key); fetch the sealing key again.";
}

public static class GetSealingKeyHandler
{
    public static SealingKeyReply Handle(GetSealingKey query, SecretsIntake intake) =>
        new(intake.Current.PublicKey, intake.Current.MasterKeyId);
}
