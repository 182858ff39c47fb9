namespace Bitcain.Credentials.Credential;

/// <summary>Folds new events onto a view the way the inline projection will, to answer before the commit.</summary>
public static class CredentialEvolution
{
    public static CredentialView Evolve(CredentialView view, object e) => e switch
    {
        CredentialRenamed x => CredentialViewProjection.Apply(x, view),
        CredentialKeyRotated x => CredentialViewProjection.Apply(x, view),
        CredentialPassphraseChanged x => CredentialViewProjection.Apply(x, view),
        CredentialPermissionsChanged x => CredentialViewProjection.Apply(x, view),
        CredentialWhitelistChanged x => CredentialViewProjection.Apply(x, view),
        CredentialMetadataChanged x => CredentialViewProjection.Apply(x, view),
        CredentialActivated x => CredentialViewProjection.Apply(x, view),
        CredentialDeactivated x => CredentialViewProjection.Apply(x, view),
        CredentialValidated x => CredentialViewProjection.Apply(x, view),
        CredentialValidationFailed x => CredentialViewProjection.Apply(x, view),
        CredentialUsed x => CredentialViewProjection.Apply(x, view),
        _ => view,
    };

    public static CredentialView Evolve(CredentialView view, IEnumerable<object> events) => events.Aggregate(view, Evolve);
}
