using System.Text.Json;
using Bitcain.Contracts.Credentials;

namespace Bitcain.Gateway.Api;

// The reference's response shapes, field for field (snake_case on the wire).

public record CredentialResponse(
    string Id,
    string UserId,
    string ExchangeName,
    string CredentialName,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> IpWhitelist,
    JsonElement? ExchangeMetadata,
    bool IsActive,
    DateTimeOffset? LastUsed,
    DateTimeOffset? LastValidation,
    string ValidationStatus,
    string? ValidationError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CredentialResponse From(CredentialDetails c) => new(
        c.Id.ToString(), c.UserId, c.ExchangeName, c.CredentialName, c.Permissions, c.IpWhitelist,
        c.ExchangeMetadata ?? EmptyObject, c.IsActive, c.LastUsed, c.LastValidation, c.ValidationStatus, c.ValidationError,
        c.CreatedAt, c.UpdatedAt);

    protected static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}

public sealed record CredentialDetailResponse(
    string Id,
    string UserId,
    string ExchangeName,
    string CredentialName,
    string ApiKeyMasked,
    bool HasPassphrase,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> IpWhitelist,
    JsonElement? ExchangeMetadata,
    bool IsActive,
    DateTimeOffset? LastUsed,
    DateTimeOffset? LastValidation,
    string ValidationStatus,
    string? ValidationError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CredentialDetailResponse From(CredentialDetails c) => new(
        c.Id.ToString(), c.UserId, c.ExchangeName, c.CredentialName, c.ApiKeyMasked, c.HasPassphrase, c.Permissions,
        c.IpWhitelist, c.ExchangeMetadata ?? JsonDocument.Parse("{}").RootElement.Clone(), c.IsActive, c.LastUsed,
        c.LastValidation, c.ValidationStatus, c.ValidationError, c.CreatedAt, c.UpdatedAt);
}

public sealed record CredentialListResponse(IReadOnlyList<CredentialResponse> Credentials, int TotalCount);

public sealed record CredentialDeletedResponse(bool Success, string Message, string DeletedId);

public sealed record KeyValidationResponse(bool Valid, string Exchange, IReadOnlyList<string> Permissions, string? Error, string? ErrorType);
