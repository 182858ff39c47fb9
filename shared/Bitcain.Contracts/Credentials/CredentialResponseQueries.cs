namespace Bitcain.Contracts.Credentials;

/// <summary>
/// Queries the gateway asks the credentials service over HTTP only (never on the bus) whose answer is already the REST
/// API's response body, byte for byte: the gateway forwards it without reading it. The body of each is the bus query
/// named beside it.
/// </summary>
public static class CredentialResponseQueries
{
    /// <summary>Body: <see cref="ListCredentials"/>; answer: the <c>GET /api/exchange/credentials</c> body.</summary>
    public const string List = "bitcain.credentials.credential-list-response.v1";

    /// <summary>Body: <see cref="GetCredential"/>; answer: the <c>GET /api/exchange/credentials/{id}</c> body, or a 404 without one.</summary>
    public const string Detail = "bitcain.credentials.credential-detail-response.v1";
}
