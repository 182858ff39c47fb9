using Bitcain.Client.Generator;
using Shouldly;
using Xunit;

namespace Bitcain.Client.Tests;

/// <summary>
/// The client generated from an OpenAPI 3.1 document in the shapes Microsoft.AspNetCore.OpenApi writes (nullable as
/// type arrays, numbers that may also be strings, nullable references as oneOf with null): amounts are decimals,
/// nullable fields nullable, timestamps DateTimeOffset, enumerations named types. The gateway's document moves to that
/// generator; the client must read it the same way it reads today's.
/// </summary>
public sealed class OpenApi31Tests
{
    private const string Document = """
        {
          "openapi": "3.1.1",
          "info": { "title": "Bitcain exchange API", "version": "1.0.0" },
          "paths": {
            "/api/exchange/trades": {
              "get": {
                "operationId": "get_trades",
                "parameters": [
                  { "name": "exchange", "in": "query", "required": true, "schema": { "type": "string" } },
                  { "name": "start_date", "in": "query", "schema": { "type": ["null", "string"], "format": "date-time" } },
                  { "name": "limit", "in": "query", "schema": { "pattern": "^-?(?:0|[1-9]\\d*)$", "type": ["integer", "string"], "format": "int32", "default": 100 } },
                  { "name": "size", "in": "query", "schema": { "exclusiveMinimum": 0, "type": ["null", "number", "string"], "format": "double" } }
                ],
                "responses": {
                  "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TradeListResponse" } } } }
                }
              }
            }
          },
          "components": {
            "schemas": {
              "TradeListResponse": {
                "type": "object",
                "required": ["trades", "total_records"],
                "properties": {
                  "trades": { "type": "array", "items": { "$ref": "#/components/schemas/TradeResponse" } },
                  "total_records": { "pattern": "^-?(?:0|[1-9]\\d*)$", "type": ["integer", "string"], "format": "int64" }
                }
              },
              "TradeResponse": {
                "type": "object",
                "required": ["price", "trade_timestamp", "side", "exchange_trade_id"],
                "properties": {
                  "exchange_trade_id": { "type": "string" },
                  "price": { "pattern": "^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?$", "type": ["number", "string"], "format": "double" },
                  "fee": { "pattern": "^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?$", "type": ["null", "number", "string"], "format": "double" },
                  "fee_currency": { "type": ["null", "string"] },
                  "trade_timestamp": { "type": "string", "format": "date-time" },
                  "last_used": { "type": ["null", "string"], "format": "date-time" },
                  "side": { "$ref": "#/components/schemas/TradeSide" },
                  "market": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/MarketInfo" }] },
                  "permissions": { "type": "array", "items": { "type": "string", "enum": ["read", "trade", "withdraw"] } }
                }
              },
              "TradeSide": { "enum": ["buy", "sell"], "type": "string" },
              "MarketInfo": { "type": "object", "properties": { "symbol": { "type": "string" } } }
            }
          }
        }
        """;

    [Fact]
    public async Task amounts_are_decimals_and_nullable_fields_are_nullable()
    {
        var code = await ClientCode.GenerateAsync(Document);

        code.ShouldContain("public decimal Price { get; set; }");
        code.ShouldContain("public decimal? Fee { get; set; }");
        code.ShouldContain("public string? FeeCurrency { get; set; }");
        code.ShouldContain("public System.DateTimeOffset TradeTimestamp { get; set; }");
        code.ShouldContain("public System.DateTimeOffset? LastUsed { get; set; }");
        code.ShouldContain("public long TotalRecords { get; set; }");
        code.ShouldContain("public MarketInfo? Market { get; set; }");
        code.ShouldNotContain("double");
    }

    [Fact]
    public async Task enumerations_are_named_types_and_the_method_is_named_by_the_operation_id()
    {
        var code = await ClientCode.GenerateAsync(Document);

        code.ShouldContain("public TradeSide Side { get; set; }");
        code.ShouldContain("public enum TradeSide");
        code.ShouldContain("System.Collections.Generic.IReadOnlyList<Permission>? Permissions { get; set; }");
        code.ShouldContain("public enum Permission");
        code.ShouldContain("System.Threading.Tasks.Task<TradeListResponse> GetTradesAsync(string exchange, System.DateTimeOffset? startDate = null, int? limit = null, decimal? size = null,");
        // A timestamp in the query keeps its offset.
        code.ShouldContain("startDate.Value.ToString(\"o\", System.Globalization.CultureInfo.InvariantCulture)");
    }
}
