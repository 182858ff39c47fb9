using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests.Document;

/// <summary>
/// The names a generated client is built from: every operationId and every component schema name, as the document had
/// them before the framework wrote it. A renamed record or endpoint breaks every client generated from the document.
/// </summary>
[Collection(DocumentCollection.Name)]
public sealed class DocumentNameTests(DocumentSuite suite)
{
    public static readonly string[] OperationIds =
    [
        "delete_credential", "get_balance", "get_balance_history", "get_bnb_burn", "get_credential", "get_credential_events",
        "get_dustable_assets", "get_exchange_info", "get_exchanges_health", "get_markets", "get_single_exchange_health",
        "get_supported_exchanges", "get_sync_status", "get_ticker", "get_trade_route", "get_trade_stats", "get_trades",
        "list_audit_events", "list_credentials", "set_bnb_burn", "store_credentials", "sync_balance", "sync_trades",
        "update_credential", "validate_exchange",
    ];

    public static readonly string[] SchemaNames =
    [
        "AccountSyncStatusResponse", "AuditEventItem", "AuditEventsResponse", "BalanceAmountResponse", "BalanceHistoryItemResponse",
        "BalanceHistoryResponse", "BalanceResponse", "BalanceSyncResponse", "BnbBurnRequest", "BnbBurnResponse", "CredentialDeletedResponse",
        "CredentialDetailResponse", "CredentialEventsResponse", "CredentialListResponse", "CredentialResponse", "CurrencyBalanceResponse",
        "DustAssetResponse", "DustAssetsResponse", "ErrorDetail", "ExchangeCredentialCreate", "ExchangeCredentialUpdate",
        "ExchangeHealthResponse", "ExchangeInfoResponse", "ExchangeValidationRequest", "HTTPValidationError", "HealthReportResponse",
        "KeyValidationResponse", "MarketInfo", "MarketLimitsInfo", "MarketLimitsRange", "MarketPrecisionInfo", "MarketsResponse",
        "RateLimitResponse", "RouteLegResponse", "RouteResponse", "RoutesResponse", "RunningTradeSyncResponse", "SupportedExchangeResponse",
        "SupportedExchangesResponse", "SyncFailureResponse", "SyncStatusResponse", "TickerResponse", "TradeListResponse", "TradeResponse",
        "TradeStatsResponse", "TradeSyncResponse", "ValidationError",
    ];

    [Fact]
    public async Task the_operation_ids_and_schema_names_are_the_ones_clients_are_generated_from()
    {
        var document = await suite.ServedDocumentAsync();
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => operation.Value!["operationId"]!.GetValue<string>()));
        operationIds.Order(StringComparer.Ordinal).ShouldBe(OperationIds);
        document["components"]!["schemas"]!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal).ShouldBe(SchemaNames);
    }

    [Fact]
    public async Task the_document_says_openapi_3_1_with_the_bearer_scheme_and_fastapi_error_shapes()
    {
        var document = await suite.ServedDocumentAsync();
        document["openapi"]!.GetValue<string>().ShouldStartWith("3.1");
        document["info"]!["title"]!.GetValue<string>().ShouldBe("Bitcain exchange API");
        var bearer = document["components"]!["securitySchemes"]!["HTTPBearer"]!;
        (bearer["type"]!.GetValue<string>(), bearer["scheme"]!.GetValue<string>()).ShouldBe(("http", "bearer"));

        var list = document["paths"]!["/api/exchange/credentials"]!["get"]!;
        list["security"]![0]!["HTTPBearer"].ShouldNotBeNull();
        Ref(list["responses"]!["422"]!).ShouldBe("#/components/schemas/HTTPValidationError");
        Ref(list["responses"]!["401"]!).ShouldBe("#/components/schemas/ErrorDetail");
        document["paths"]!["/api/exchange/health"]!["get"]!.AsObject().ContainsKey("security").ShouldBeFalse();

        // A query record's rules are the parameter's schema.
        var limit = document["paths"]!["/api/exchange/trades"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!;
        limit["schema"]!["maximum"]!.GetValue<int>().ShouldBe(1000);
        limit["schema"]!["default"]!.GetValue<int>().ShouldBe(100);
    }

    [Fact]
    public async Task docs_serves_the_reference_page_without_a_token()
    {
        var client = suite.Suite.Gateway.Server.CreateClient();
        var response = await client.GetAsync("/docs");
        // Scalar may send /docs on to /docs/.
        if (response.Headers.Location is { } next) response = await client.GetAsync(next);
        ((int)response.StatusCode).ShouldBe(200);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
    }

    private static string Ref(JsonNode response) => response["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
}
