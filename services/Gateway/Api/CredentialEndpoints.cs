using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.Exchanges;
using Microsoft.AspNetCore.Mvc;

namespace Bitcain.Gateway.Api;

public static class CredentialEndpoints
{
    private const string Service = "credentials";

    public static void MapCredentialEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/credentials", ListCredentials).WithName("list_credentials").WithSummary("List Credentials");
        api.MapPost("/credentials", StoreCredential).WithName("store_credentials").WithSummary("Store Credentials");
        api.MapGet("/credentials/{credential_id}", GetCredential).WithName("get_credential").WithSummary("Get Credential");
        api.MapPut("/credentials/{credential_id}", UpdateCredential).WithName("update_credential").WithSummary("Update Credential");
        api.MapDelete("/credentials/{credential_id}", DeleteCredential).WithName("delete_credential").WithSummary("Delete Credential");
        api.MapPost("/validate", ValidateKey).WithName("validate_exchange").WithSummary("Validate Exchange")
            .WithDescription("Checks the key against the exchange; nothing is stored or logged. " +
                "Limited per user beyond the general limit (Gateway:ValidateRateLimitPermits, default 10 per minute): over it, 429 with Retry-After.")
            .RequireRateLimiting(GatewayEdge.ValidatePolicy);
    }

    private static async Task<Results<ForwardedJson, Ok<CredentialListResponse>, JsonHttpResult<ErrorDetail>>> ListCredentials(
        CredentialFilter query, ClaimsPrincipal user, ServiceCalls calls, HttpQueryClient queries, CancellationToken ct)
    {
        var filter = new ListCredentials(query.ExchangeName?.Id);
        // The service writes the response body itself (README, "The read path"); the typed query below is the bus's way.
        if (await queries.ForwardAsync(Service, user.Id(), CredentialResponseQueries.List, filter, ct) is { } forwarded)
            return forwarded.Answered ? new ForwardedJson(forwarded.Reply.Json!) : forwarded.Refusal();
        var answer = await calls.QueryAsync<CredentialList>(Service, user.Id(), filter, ct);
        if (!answer.Answered) return answer.Refusal();
        var items = answer.Reply!.Credentials.Select(CredentialResponse.From).ToList();
        return TypedResults.Ok(new CredentialListResponse(items, items.Count));
    }

    private static async Task<Results<Created<CredentialResponse>, JsonHttpResult<ErrorDetail>, JsonHttpResult<HTTPValidationError>>> StoreCredential(
        ExchangeCredentialCreate body, ClaimsPrincipal principal, ServiceCalls calls, CredentialSealing sealing, CancellationToken ct)
    {
        var exchange = ExchangeCatalog.Get(body.ExchangeName);
        if (CredentialRules.PassphraseRequired(exchange, body.ApiPassphrase) is { } missingPassphrase)
            return EdgeResults.Invalid([FieldError.From(missingPassphrase)]);

        var id = Guid.CreateVersion7();
        var passphrase = string.IsNullOrEmpty(body.ApiPassphrase) ? null : body.ApiPassphrase;
        var answer = await SendSealedAsync(calls, sealing, principal.Id(), body.ApiKey, body.ApiSecret, passphrase,
            sealedFields => new StoreCredential(id, exchange.Id, body.CredentialName, ApiKeyMask.Of(body.ApiKey), passphrase is not null,
                body.Permissions ?? CredentialRules.DefaultPermissions, body.IpWhitelist ?? [], body.ExchangeMetadata, sealedFields), ct);
        if (!answer.Answered) return answer.Refusal();
        return answer.Reply!.Outcome switch
        {
            CredentialOutcome.Ok => TypedResults.Created((string?)null, CredentialResponse.From(answer.Reply.Credential!)),
            CredentialOutcome.Conflict => EdgeResults.Detail(StatusCodes.Status409Conflict, answer.Reply.Detail!),
            CredentialOutcome.Invalid => Refused(answer.Reply),
            _ => EdgeResults.Detail(StatusCodes.Status400BadRequest, answer.Reply.Detail ?? "The credential was not stored"),
        };
    }

    private static async Task<Results<ForwardedJson, Ok<CredentialDetailResponse>, NotFound<ErrorDetail>, JsonHttpResult<ErrorDetail>>> GetCredential(
        [FromRoute(Name = "credential_id")] string credentialId, ClaimsPrincipal user, ServiceCalls calls, HttpQueryClient queries, CancellationToken ct)
    {
        // Ids are ours; anything that is not one names no credential of this user.
        if (!Guid.TryParse(credentialId, out var id)) return NotFound(credentialId);
        if (await queries.ForwardAsync(Service, user.Id(), CredentialResponseQueries.Detail, new GetCredential(id), ct) is { } forwarded)
            return !forwarded.Answered ? forwarded.Refusal()
                : forwarded.Reply.Json is null ? NotFound(credentialId)
                : new ForwardedJson(forwarded.Reply.Json);
        var answer = await calls.QueryAsync<CredentialReply>(Service, user.Id(), new GetCredential(id), ct);
        if (!answer.Answered) return answer.Refusal();
        return answer.Reply!.Outcome == CredentialOutcome.Ok
            ? TypedResults.Ok(CredentialDetailResponse.From(answer.Reply.Credential!))
            : NotFound(credentialId);
    }

    private static async Task<Results<Ok<CredentialResponse>, NotFound<ErrorDetail>, JsonHttpResult<ErrorDetail>, JsonHttpResult<HTTPValidationError>>> UpdateCredential(
        [FromRoute(Name = "credential_id")] string credentialId, ExchangeCredentialUpdate body, ClaimsPrincipal user, ServiceCalls calls,
        CredentialSealing sealing, CancellationToken ct)
    {
        if (!Guid.TryParse(credentialId, out var id)) return NotFound(credentialId);
        var answer = await SendSealedAsync(calls, sealing, user.Id(), body.ApiKey, body.ApiSecret,
            string.IsNullOrEmpty(body.ApiPassphrase) ? null : body.ApiPassphrase,
            sealedFields => new UpdateCredential(id, body.CredentialName, body.ApiKey is null ? null : ApiKeyMask.Of(body.ApiKey), sealedFields,
                body.Permissions, body.IpWhitelist, body.ExchangeMetadata, body.IsActive), ct);
        if (!answer.Answered) return answer.Refusal();
        return answer.Reply!.Outcome switch
        {
            CredentialOutcome.Ok => TypedResults.Ok(CredentialResponse.From(answer.Reply.Credential!)),
            CredentialOutcome.NotFound => NotFound(credentialId),
            CredentialOutcome.Conflict => EdgeResults.Detail(StatusCodes.Status409Conflict, answer.Reply.Detail!),
            CredentialOutcome.Invalid => Refused(answer.Reply),
            _ => EdgeResults.Detail(StatusCodes.Status400BadRequest, answer.Reply.Detail ?? "The credential was not updated"),
        };
    }

    private static async Task<Results<Ok<CredentialDeletedResponse>, NotFound<ErrorDetail>, JsonHttpResult<ErrorDetail>>> DeleteCredential(
        [FromRoute(Name = "credential_id")] string credentialId, ClaimsPrincipal user, ServiceCalls calls, CancellationToken ct)
    {
        if (!Guid.TryParse(credentialId, out var id)) return NotFound(credentialId);
        var answer = await calls.SendCommandAsync<CredentialReply>(Service, user.Id(), new DeleteCredential(id), ct);
        if (!answer.Answered) return answer.Refusal();
        return answer.Reply!.Outcome == CredentialOutcome.Ok
            ? TypedResults.Ok(new CredentialDeletedResponse(true, $"Credential '{answer.Reply.Credential!.CredentialName}' deleted", id.ToString()))
            : NotFound(credentialId);
    }

    private static async Task<Results<Ok<KeyValidationResponse>, JsonHttpResult<ErrorDetail>, JsonHttpResult<HTTPValidationError>>> ValidateKey(
        ExchangeValidationRequest body, ClaimsPrincipal principal, ServiceCalls calls, CredentialSealing sealing, CancellationToken ct)
    {
        var exchange = ExchangeCatalog.Get(body.Exchange);
        if (CredentialRules.PassphraseRequired(exchange, body.ApiPassphrase) is { } missingPassphrase)
            return EdgeResults.Invalid([FieldError.From(missingPassphrase)]);

        var user = principal.Id();
        for (var attempt = 0; ; attempt++)
        {
            var (sealedFields, failure) = await sealing.SealAsync(calls, user, body.ApiKey, body.ApiSecret,
                string.IsNullOrEmpty(body.ApiPassphrase) ? null : body.ApiPassphrase, ct);
            if (failure is not null) return ApiResults.Detail(failure);
            var answer = await calls.AskAsync<KeyValidationReply>(Service, user, new ValidateKey(exchange.Id, sealedFields!), false, ct);
            if (!answer.Answered) return answer.Refusal();
            var reply = answer.Reply!;
            if (reply.ErrorType == "unsealable" && attempt == 0) { sealing.Forget(); continue; }
            return TypedResults.Ok(new KeyValidationResponse(reply.Valid, reply.Exchange, reply.Permissions, reply.Error, reply.ErrorType));
        }
    }

    /// <summary>Seals the secret fields and sends the command; once more with a refetched key if the service could not open them.</summary>
    private static async Task<ServiceAnswer<CredentialReply>> SendSealedAsync(ServiceCalls calls, CredentialSealing sealing, string user,
        string? apiKey, string? apiSecret, string? passphrase, Func<SealedFields, object> command, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (sealedFields, failure) = await sealing.SealAsync(calls, user, apiKey, apiSecret, passphrase, ct);
            if (failure is not null) return new ServiceAnswer<CredentialReply>(null, failure);
            var answer = await calls.SendCommandAsync<CredentialReply>(Service, user, command(sealedFields!), ct);
            if (answer.Answered && answer.Reply!.Outcome == CredentialOutcome.Unsealable && attempt == 0) { sealing.Forget(); continue; }
            return answer;
        }
    }

    /// <summary>The service found what the gateway's own reading lets through (a rule the gateway did not know yet).</summary>
    private static JsonHttpResult<HTTPValidationError> Refused(CredentialReply reply) =>
        EdgeResults.Invalid((reply.Violations ?? []).Select(FieldError.From).ToList());

    private static NotFound<ErrorDetail> NotFound(string? raw) => TypedResults.NotFound(new ErrorDetail($"Credential {raw} not found"));
}

public sealed record CredentialFilter : EdgeQuery<CredentialFilter>
{
    [JsonPropertyName("exchange_name"), ValueRule(typeof(ExchangeName))]
    public ExchangeDescriptor? ExchangeName { get; init; }
}

public sealed record ExchangeCredentialCreate : EdgeBody<ExchangeCredentialCreate>
{
    [JsonPropertyName("exchange_name"), Required, ValueRule(typeof(ExchangeName))]
    [AcceptedExchangesDescription]
    public string ExchangeName { get; init; } = "";

    [JsonPropertyName("credential_name"), DefaultValue(CredentialRules.DefaultName)]
    [MinLength(CredentialRules.NameMinLength), MaxLength(CredentialRules.NameMaxLength), Description("User-friendly name for this credential set")]
    public string CredentialName { get; init; } = CredentialRules.DefaultName;

    [JsonPropertyName("api_key"), Secret, Required, MinLength(CredentialRules.SecretMinLength), MaxLength(CredentialRules.ApiKeyMaxLength)]
    [Description("Exchange API key (will be encrypted)")]
    public string ApiKey { get; init; } = "";

    [JsonPropertyName("api_secret"), Secret, Required, MinLength(CredentialRules.SecretMinLength), MaxLength(CredentialRules.ApiSecretMaxLength)]
    [Description("Exchange API secret (will be encrypted)")]
    public string ApiSecret { get; init; } = "";

    [JsonPropertyName("api_passphrase"), Secret, MaxLength(CredentialRules.PassphraseMaxLength)]
    [Description("Exchange API passphrase (optional, required for some exchanges)")]
    public string? ApiPassphrase { get; init; }

    [JsonPropertyName("permissions"), Literals("read", "trade", "withdraw"), Description("List of permissions: read, trade, withdraw")]
    public IReadOnlyList<string>? Permissions { get; init; }

    [JsonPropertyName("ip_whitelist"), ValueRule(typeof(AddressOrRange)), Description("List of whitelisted IP addresses/CIDR ranges (e.g., ['1.2.3.4', '10.0.0.0/24'])")]
    public IReadOnlyList<string>? IpWhitelist { get; init; }

    [JsonPropertyName("exchange_metadata"), Description("Exchange-specific configuration (e.g., {'testnet': true, 'use_us': true})")]
    public JsonElement? ExchangeMetadata { get; init; }

    protected override void Check(BodyValues body) => CredentialMetadata.Check(body);
}

public sealed record ExchangeCredentialUpdate : EdgeBody<ExchangeCredentialUpdate>
{
    [JsonPropertyName("credential_name"), MinLength(CredentialRules.NameMinLength), MaxLength(CredentialRules.NameMaxLength)]
    [Description("User-friendly name for this credential set")]
    public string? CredentialName { get; init; }

    [JsonPropertyName("api_key"), Secret, MinLength(CredentialRules.SecretMinLength), MaxLength(CredentialRules.ApiKeyMaxLength)]
    [Description("Exchange API key (will be encrypted)")]
    public string? ApiKey { get; init; }

    [JsonPropertyName("api_secret"), Secret, MinLength(CredentialRules.SecretMinLength), MaxLength(CredentialRules.ApiSecretMaxLength)]
    [Description("Exchange API secret (will be encrypted)")]
    public string? ApiSecret { get; init; }

    [JsonPropertyName("api_passphrase"), Secret, MaxLength(CredentialRules.PassphraseMaxLength), Description("Exchange API passphrase (optional)")]
    public string? ApiPassphrase { get; init; }

    [JsonPropertyName("permissions"), Literals("read", "trade", "withdraw"), Description("List of permissions: read, trade, withdraw")]
    public IReadOnlyList<string>? Permissions { get; init; }

    [JsonPropertyName("ip_whitelist"), ValueRule(typeof(AddressOrRange)), Description("List of whitelisted IP addresses/CIDR ranges")]
    public IReadOnlyList<string>? IpWhitelist { get; init; }

    [JsonPropertyName("exchange_metadata"), Description("Exchange-specific configuration")]
    public JsonElement? ExchangeMetadata { get; init; }

    [JsonPropertyName("is_active"), Description("Whether the credential is active")]
    public bool? IsActive { get; init; }

    protected override void Check(BodyValues body) => CredentialMetadata.Check(body);
}

public sealed record ExchangeValidationRequest : EdgeBody<ExchangeValidationRequest>
{
    [JsonPropertyName("exchange"), Required, ValueRule(typeof(ExchangeName)), Description("Exchange name (binance, coinbase, kraken, etc.)")]
    public string Exchange { get; init; } = "";

    [JsonPropertyName("api_key"), Secret, Required, Description("Exchange API key")]
    public string ApiKey { get; init; } = "";

    [JsonPropertyName("api_secret"), Secret, Required, Description("Exchange API secret")]
    public string ApiSecret { get; init; } = "";

    [JsonPropertyName("api_passphrase"), Secret, Description("Exchange API passphrase (if required)")]
    public string? ApiPassphrase { get; init; }
}

/// <summary>The size and depth of <c>exchange_metadata</c>, which the body's shape alone does not bound.</summary>
internal static class CredentialMetadata
{
    public static void Check(BodyValues body)
    {
        if (body.Object("exchange_metadata") is { } metadata && CredentialRules.Metadata(["body", "exchange_metadata"], metadata) is { } violation)
            body.Add(FieldError.From(violation));
    }
}

public static class ApiKeyMask
{
    /// <summary>First 4 and last 4 characters, the rest <c>*</c> (CONTRACT); short keys are fully masked.</summary>
    public static string Of(string apiKey) => CredentialRules.MaskOf(apiKey);
}

/// <summary>The names the exchange modules accept, read when the document is built: a new module needs no edit here.</summary>
public sealed class AcceptedExchangesDescriptionAttribute : DescriptionAttribute
{
    public override string Description => $"Exchange name ({string.Join(", ", Bitcain.Exchanges.ExchangeModules.AcceptedNames)})";
}
