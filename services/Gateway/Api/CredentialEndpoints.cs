using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Gateway.Auth;
using Bitcain.Gateway.Http;
using Bitcain.Gateway.Messaging;
using Bitcain.Gateway.OpenApi;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Gateway.Api;

public static class CredentialEndpoints
{
    private const string Service = "credentials";
    private const string Tag = "Exchange";
    public static readonly IReadOnlyList<string> Permissions = CredentialRules.Permissions;

    private static readonly ParamSpec CredentialIdPath = new("credential_id", ParamKind.String, Required: true, In: "path");

    public static readonly BodySpec StoreBody = new("ExchangeCredentialCreate",
    [
        new("exchange_name", FieldKind.Exchange, Required: true,
            Description: "Exchange name (binance, binanceus, binance_us, coinbase, kraken, bybit, kucoin, bitfinex, okx, gate_io)"),
        new("credential_name", FieldKind.String, Default: CredentialRules.DefaultName, MinLength: CredentialRules.NameMinLength,
            MaxLength: CredentialRules.NameMaxLength, Description: "User-friendly name for this credential set"),
        new("api_key", FieldKind.String, Required: true, MinLength: CredentialRules.SecretMinLength, MaxLength: CredentialRules.ApiKeyMaxLength,
            Description: "Exchange API key (will be encrypted)"),
        new("api_secret", FieldKind.String, Required: true, MinLength: CredentialRules.SecretMinLength, MaxLength: CredentialRules.ApiSecretMaxLength,
            Description: "Exchange API secret (will be encrypted)"),
        new("api_passphrase", FieldKind.String, Nullable: true, MaxLength: CredentialRules.PassphraseMaxLength,
            Description: "Exchange API passphrase (optional, required for some exchanges)"),
        new("permissions", FieldKind.LiteralList, Nullable: true, Allowed: Permissions, Description: "List of permissions: read, trade, withdraw"),
        new("ip_whitelist", FieldKind.AddressList, Nullable: true, Description: "List of whitelisted IP addresses/CIDR ranges (e.g., ['1.2.3.4', '10.0.0.0/24'])"),
        new("exchange_metadata", FieldKind.Object, Nullable: true, Description: "Exchange-specific configuration (e.g., {'testnet': true, 'use_us': true})"),
    ]);

    public static readonly BodySpec UpdateBody = new("ExchangeCredentialUpdate",
    [
        new("credential_name", FieldKind.String, Nullable: true, MinLength: CredentialRules.NameMinLength, MaxLength: CredentialRules.NameMaxLength,
            Description: "User-friendly name for this credential set"),
        new("api_key", FieldKind.String, Nullable: true, MinLength: CredentialRules.SecretMinLength, MaxLength: CredentialRules.ApiKeyMaxLength,
            Description: "Exchange API key (will be encrypted)"),
        new("api_secret", FieldKind.String, Nullable: true, MinLength: CredentialRules.SecretMinLength, MaxLength: CredentialRules.ApiSecretMaxLength,
            Description: "Exchange API secret (will be encrypted)"),
        new("api_passphrase", FieldKind.String, Nullable: true, MaxLength: CredentialRules.PassphraseMaxLength, Description: "Exchange API passphrase (optional)"),
        new("permissions", FieldKind.LiteralList, Nullable: true, Allowed: Permissions, Description: "List of permissions: read, trade, withdraw"),
        new("ip_whitelist", FieldKind.AddressList, Nullable: true, Description: "List of whitelisted IP addresses/CIDR ranges"),
        new("exchange_metadata", FieldKind.Object, Nullable: true, Description: "Exchange-specific configuration"),
        new("is_active", FieldKind.Boolean, Nullable: true, Description: "Whether the credential is active"),
    ]);

    public static readonly BodySpec ValidateBody = new("ExchangeValidationRequest",
    [
        new("exchange", FieldKind.Exchange, Required: true, Description: "Exchange name (binance, coinbase, kraken, etc.)"),
        new("api_key", FieldKind.String, Required: true, Description: "Exchange API key"),
        new("api_secret", FieldKind.String, Required: true, Description: "Exchange API secret"),
        new("api_passphrase", FieldKind.String, Nullable: true, Description: "Exchange API passphrase (if required)"),
    ]);

    public static void RouteCredentialMessages(this WolverineOptions opts)
    {
        opts.PublishMessage<StoreCredential>().ToRabbitQueue(BusTopology.CredentialCommands);
        opts.PublishMessage<UpdateCredential>().ToRabbitQueue(BusTopology.CredentialCommands);
        opts.PublishMessage<DeleteCredential>().ToRabbitQueue(BusTopology.CredentialCommands);
        opts.PublishMessage<ListCredentials>().ToRabbitQueue(BusTopology.CredentialQueries);
        opts.PublishMessage<GetCredential>().ToRabbitQueue(BusTopology.CredentialQueries);
        opts.PublishMessage<GetSealingKey>().ToRabbitQueue(BusTopology.CredentialQueries);
        opts.PublishMessage<ValidateKey>().ToRabbitQueue(BusTopology.CredentialQueries);
        opts.PublishMessage<GetCredentialEvents>().ToRabbitQueue(BusTopology.CredentialQueries);
        opts.PublishMessage<GetCredentialAuditEvents>().ToRabbitQueue(BusTopology.CredentialQueries);
    }

    public static void MapCredentialEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDocumented(new("GET", "/api/exchange/credentials", "list_credentials", "List Credentials", Tag, typeof(CredentialListResponse),
            [new("exchange_name", ParamKind.Exchange)]), ListCredentials);

        app.MapDocumented(new("POST", "/api/exchange/credentials", "store_credentials", "Store Credentials", Tag, typeof(CredentialResponse),
            Body: StoreBody, SuccessStatus: StatusCodes.Status201Created), StoreCredential);

        app.MapDocumented(new("GET", "/api/exchange/credentials/{credential_id}", "get_credential", "Get Credential", Tag, typeof(CredentialDetailResponse),
            [CredentialIdPath]), GetCredential);

        app.MapDocumented(new("PUT", "/api/exchange/credentials/{credential_id}", "update_credential", "Update Credential", Tag, typeof(CredentialResponse),
            [CredentialIdPath], Body: UpdateBody), UpdateCredential);

        app.MapDocumented(new("DELETE", "/api/exchange/credentials/{credential_id}", "delete_credential", "Delete Credential", Tag, typeof(CredentialDeletedResponse),
            [CredentialIdPath]), DeleteCredential);

        app.MapDocumented(new("POST", "/api/exchange/validate", "validate_exchange", "Validate Exchange", Tag, typeof(KeyValidationResponse),
            Body: ValidateBody, Description: "Checks the key against the exchange; nothing is stored or logged. " +
                "Limited per user beyond the general limit (Gateway:ValidateRateLimitPermits, default 10 per minute): over it, 429 with Retry-After."),
            ValidateKey).RequireRateLimiting(EdgeProtection.ValidatePolicy);
    }

    private static async Task<IResult> ListCredentials(HttpContext http, ServiceCalls calls, HttpQueries queries, CancellationToken ct)
    {
        var query = ParamValues.Read(http.Request, [new("exchange_name", ParamKind.Exchange)]);
        if (!query.IsValid) return ApiResults.Invalid(query.Errors);

        // The service writes the response body itself (README, "The read path"); the typed query below is the bus's way.
        if (await queries.ForwardAsync(Service, http.UserId(), CredentialResponseQueries.List, new ListCredentials(query.Exchange("exchange_name")?.Id), ct) is { } forwarded)
            return forwarded.Answered ? HttpQueries.Forwarded(forwarded.Reply) : forwarded.Failure!;
        var answer = await calls.QueryAsync<CredentialList>(Service, http.UserId(), new ListCredentials(query.Exchange("exchange_name")?.Id), ct);
        if (!answer.Answered) return answer.Failure!;
        var items = answer.Reply!.Credentials.Select(CredentialResponse.From).ToList();
        return ApiResults.Ok(new CredentialListResponse(items, items.Count));
    }

    private static async Task<IResult> StoreCredential(HttpContext http, ServiceCalls calls, CredentialSealing sealing, GatewayOptions options, CancellationToken ct)
    {
        var body = await BodyValues.ReadAsync(http.Request, StoreBody, options.MaxRequestBodyBytes, ct);
        CheckMetadataBounds(body);
        if (!body.IsValid) return ApiResults.Invalid(body.Errors);

        var exchange = body.Exchange("exchange_name")!;
        var passphrase = body.String("api_passphrase");
        if (CredentialRules.PassphraseRequired(exchange, passphrase) is { } missingPassphrase)
            return ApiResults.Invalid([FieldError.From(missingPassphrase)]);

        var id = Guid.CreateVersion7();
        var user = http.UserId();
        var answer = await SendSealedAsync(calls, sealing, user, body.String("api_key"), body.String("api_secret"),
            string.IsNullOrEmpty(passphrase) ? null : passphrase,
            sealedFields => new StoreCredential(
                id,
                exchange.Id,
                body.String("credential_name")!,
                ApiKeyMask.Of(body.String("api_key")!),
                !string.IsNullOrEmpty(passphrase),
                body.List("permissions") ?? CredentialRules.DefaultPermissions,
                body.List("ip_whitelist") ?? [],
                body.Object("exchange_metadata"),
                sealedFields), ct);
        if (!answer.Answered) return answer.Failure!;
        return answer.Reply!.Outcome switch
        {
            CredentialOutcome.Ok => ApiResults.Ok(CredentialResponse.From(answer.Reply.Credential!), StatusCodes.Status201Created),
            CredentialOutcome.Conflict => ApiResults.Detail(StatusCodes.Status409Conflict, answer.Reply.Detail!),
            CredentialOutcome.Invalid => Refused(answer.Reply),
            _ => ApiResults.Detail(StatusCodes.Status400BadRequest, answer.Reply.Detail ?? "The credential was not stored"),
        };
    }

    private static async Task<IResult> GetCredential(HttpContext http, ServiceCalls calls, HttpQueries queries, CancellationToken ct)
    {
        var path = ParamValues.Read(http.Request, [CredentialIdPath]);
        var raw = path.String("credential_id");
        // Ids are ours; anything that is not one names no credential of this user.
        if (!Guid.TryParse(raw, out var id)) return ApiResults.Detail(StatusCodes.Status404NotFound, $"Credential {raw} not found");

        if (await queries.ForwardAsync(Service, http.UserId(), CredentialResponseQueries.Detail, new GetCredential(id), ct) is { } forwarded)
            return !forwarded.Answered ? forwarded.Failure!
                : forwarded.Reply.Json is null ? ApiResults.Detail(StatusCodes.Status404NotFound, $"Credential {raw} not found")
                : HttpQueries.Forwarded(forwarded.Reply);

        var answer = await calls.QueryAsync<CredentialReply>(Service, http.UserId(), new GetCredential(id), ct);
        if (!answer.Answered) return answer.Failure!;
        return answer.Reply!.Outcome == CredentialOutcome.Ok
            ? ApiResults.Ok(CredentialDetailResponse.From(answer.Reply.Credential!))
            : ApiResults.Detail(StatusCodes.Status404NotFound, $"Credential {raw} not found");
    }

    private static async Task<IResult> UpdateCredential(HttpContext http, ServiceCalls calls, CredentialSealing sealing, GatewayOptions options, CancellationToken ct)
    {
        var raw = ParamValues.Read(http.Request, [CredentialIdPath]).String("credential_id");
        var body = await BodyValues.ReadAsync(http.Request, UpdateBody, options.MaxRequestBodyBytes, ct);
        CheckMetadataBounds(body);
        if (!body.IsValid) return ApiResults.Invalid(body.Errors);
        if (!Guid.TryParse(raw, out var id)) return NotFound(raw);

        var apiKey = body.String("api_key");
        var passphrase = body.String("api_passphrase");
        var answer = await SendSealedAsync(calls, sealing, http.UserId(), apiKey, body.String("api_secret"),
            string.IsNullOrEmpty(passphrase) ? null : passphrase,
            sealedFields => new UpdateCredential(
                id,
                body.String("credential_name"),
                apiKey is null ? null : ApiKeyMask.Of(apiKey),
                sealedFields,
                body.List("permissions"),
                body.List("ip_whitelist"),
                body.Object("exchange_metadata"),
                body.Boolean("is_active")), ct);
        if (!answer.Answered) return answer.Failure!;
        return answer.Reply!.Outcome switch
        {
            CredentialOutcome.Ok => ApiResults.Ok(CredentialResponse.From(answer.Reply.Credential!)),
            CredentialOutcome.NotFound => NotFound(raw),
            CredentialOutcome.Conflict => ApiResults.Detail(StatusCodes.Status409Conflict, answer.Reply.Detail!),
            CredentialOutcome.Invalid => Refused(answer.Reply),
            _ => ApiResults.Detail(StatusCodes.Status400BadRequest, answer.Reply.Detail ?? "The credential was not updated"),
        };
    }

    private static async Task<IResult> DeleteCredential(HttpContext http, ServiceCalls calls, CancellationToken ct)
    {
        var raw = ParamValues.Read(http.Request, [CredentialIdPath]).String("credential_id");
        if (!Guid.TryParse(raw, out var id)) return NotFound(raw);

        var answer = await calls.SendCommandAsync<CredentialReply>(Service, http.UserId(), new DeleteCredential(id), ct);
        if (!answer.Answered) return answer.Failure!;
        return answer.Reply!.Outcome == CredentialOutcome.Ok
            ? ApiResults.Ok(new CredentialDeletedResponse(true, $"Credential '{answer.Reply.Credential!.CredentialName}' deleted", id.ToString()))
            : NotFound(raw);
    }

    private static async Task<IResult> ValidateKey(HttpContext http, ServiceCalls calls, CredentialSealing sealing, GatewayOptions options, CancellationToken ct)
    {
        var body = await BodyValues.ReadAsync(http.Request, ValidateBody, options.MaxRequestBodyBytes, ct);
        if (!body.IsValid) return ApiResults.Invalid(body.Errors);
        var exchange = body.Exchange("exchange")!;
        var passphrase = body.String("api_passphrase");
        if (CredentialRules.PassphraseRequired(exchange, passphrase) is { } missingPassphrase)
            return ApiResults.Invalid([FieldError.From(missingPassphrase)]);

        var user = http.UserId();
        for (var attempt = 0; ; attempt++)
        {
            var (sealedFields, failure) = await sealing.SealAsync(calls, user, body.String("api_key"), body.String("api_secret"),
                string.IsNullOrEmpty(passphrase) ? null : passphrase, ct);
            if (failure is not null) return failure;
            var answer = await calls.AskAsync<KeyValidationReply>(Service, user, new ValidateKey(exchange.Id, sealedFields!), false, ct);
            if (!answer.Answered) return answer.Failure!;
            var reply = answer.Reply!;
            if (reply.ErrorType == "unsealable" && attempt == 0) { sealing.Forget(); continue; }
            return ApiResults.Ok(new KeyValidationResponse(reply.Valid, reply.Exchange, reply.Permissions, reply.Error, reply.ErrorType));
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

    /// <summary>The size and depth of <c>exchange_metadata</c>, which the body's shape alone does not bound.</summary>
    private static void CheckMetadataBounds(BodyValues body)
    {
        if (body.Object("exchange_metadata") is { } metadata && CredentialRules.Metadata(["body", "exchange_metadata"], metadata) is { } violation)
            body.Add(FieldError.From(violation));
    }

    /// <summary>The service found what the gateway's own reading lets through (a rule the gateway did not know yet).</summary>
    private static IResult Refused(CredentialReply reply) =>
        ApiResults.Invalid((reply.Violations ?? []).Select(FieldError.From).ToList());

    private static IResult NotFound(string? raw) => ApiResults.Detail(StatusCodes.Status404NotFound, $"Credential {raw} not found");
}

public static class ApiKeyMask
{
    /// <summary>First 4 and last 4 characters, the rest <c>*</c> (CONTRACT); short keys are fully masked.</summary>
    public static string Of(string apiKey) => CredentialRules.MaskOf(apiKey);
}
