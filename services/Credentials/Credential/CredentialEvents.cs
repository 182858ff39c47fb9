using System.Text.Json;
using Marten.Events;

namespace Bitcain.Credentials.Credential;

// Events of one credential's stream. Their stored names are explicit (CredentialEventNames), so renaming
// a class never orphans a stored event. None of them may hold secret material in clear.

public sealed record CredentialStored(
    Guid CredentialId,
    string ExchangeName,
    string CredentialName,
    string ApiKeyMasked,
    bool HasPassphrase,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> IpWhitelist,
    JsonElement? ExchangeMetadata,
    DateTimeOffset StoredAt);

public static class CredentialEventNames
{
    public static void Register(IEventStoreOptions events)
    {
        events.MapEventType<CredentialStored>("credential_stored.v1");
    }
}
