using Wolverine;

namespace Bitcain.Credentials;

/// <summary>The user a message acts for: Wolverine's tenant id, which also scopes every Marten session.</summary>
public static class UserScope
{
    // Marten's name for "no tenant given"; a message that lands there belongs to nobody.
    private const string MartenDefaultTenant = "*DEFAULT*";

    public static string? Of(Envelope envelope) =>
        string.IsNullOrWhiteSpace(envelope.TenantId) || envelope.TenantId == MartenDefaultTenant ? null : envelope.TenantId;

    public const string MissingUser = "The message names no user (AMQP header 'tenant-id'); it was not applied.";
}
