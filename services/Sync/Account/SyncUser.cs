using Wolverine;

namespace Bitcain.Sync.Account;

/// <summary>The user a message acts for: Wolverine's tenant id, which also scopes every Marten session.</summary>
public static class SyncUser
{
    private const string MartenDefaultTenant = "*DEFAULT*";

    public static string? Of(Envelope envelope) =>
        string.IsNullOrWhiteSpace(envelope.TenantId) || envelope.TenantId == MartenDefaultTenant ? null : envelope.TenantId;

    public const string Missing = "The message names no user (AMQP header 'tenant-id'); it was not applied.";
}
