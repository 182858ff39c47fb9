using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bitcain.Testing;
using Json.Schema;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests.Document;

/// <summary>
/// Every operation called for real (the services behind the gateway, the simulator behind them), and each answer's body
/// checked against the schema the document gives for that operation and status: a renamed field, a field the schema
/// does not have, or a schema that says a value cannot be null when the gateway writes null fails here.
/// </summary>
[Collection(DocumentCollection.Name)]
public sealed class ResponseSchemaTests(DocumentSuite suite)
{
    private JsonObject _document = null!;
    private readonly HttpClient _http = suite.Suite.Gateway.Server.CreateClient();
    private readonly HashSet<string> _called = [];

    [Fact]
    public async Task every_operation_answers_what_its_schemas_say()
    {
        _document = await suite.ServedDocumentAsync();
        var token = TestTokens.For("schema-" + Guid.NewGuid().ToString("N")[..8]);
        var binance = suite.Sim.Account("binance", "demo");
        var missing = Guid.NewGuid();

        await Call("get_supported_exchanges", HttpMethod.Get, "/api/exchange/supported", token, 200);
        await Call("get_supported_exchanges", HttpMethod.Get, "/api/exchange/supported", null, 401);
        await Call("get_exchange_info", HttpMethod.Get, "/api/exchange/kraken/info", token, 200);
        await Call("get_exchange_info", HttpMethod.Get, "/api/exchange/nowhere/info", token, 404);
        await Call("get_exchanges_health", HttpMethod.Get, "/api/exchange/health", null, 200);
        await Call("get_exchanges_health", HttpMethod.Get, "/api/exchange/health?force_refresh=maybe", null, 422);
        await Call("get_single_exchange_health", HttpMethod.Get, "/api/exchange/kraken/health", null, 200);
        await Call("get_single_exchange_health", HttpMethod.Get, "/api/exchange/nowhere/health", null, 404);
        await Call("get_markets", HttpMethod.Get, "/api/exchange/markets?exchange=kraken", token, 200);
        await Call("get_markets", HttpMethod.Get, "/api/exchange/markets?exchange=nowhere", token, 422);
        await Call("get_ticker", HttpMethod.Get, "/api/exchange/ticker?exchange=kraken&symbol=eth_usd", token, 200);
        await Call("get_ticker", HttpMethod.Get, "/api/exchange/ticker?exchange=kraken", token, 422);

        await Call("validate_exchange", HttpMethod.Post, "/api/exchange/validate", token, 200,
            new JsonObject { ["exchange"] = "binance", ["api_key"] = binance.ApiKey, ["api_secret"] = binance.ApiSecret });
        await Call("validate_exchange", HttpMethod.Post, "/api/exchange/validate", token, 422, new JsonObject { ["exchange"] = "binance" });

        var stored = await Call("store_credentials", HttpMethod.Post, "/api/exchange/credentials", token, 201, new JsonObject
        {
            ["exchange_name"] = "binance", ["credential_name"] = "Schema", ["api_key"] = binance.ApiKey, ["api_secret"] = binance.ApiSecret,
            ["permissions"] = new JsonArray("read"), ["ip_whitelist"] = new JsonArray("203.0.113.7"), ["exchange_metadata"] = new JsonObject { ["testnet"] = true },
        });
        var id = stored!["id"]!.GetValue<string>();
        ShouldFailAfterRenaming(stored, "store_credentials", "201", "credential_name");
        await Call("store_credentials", HttpMethod.Post, "/api/exchange/credentials", token, 422,
            new JsonObject { ["exchange_name"] = "nowhere", ["api_key"] = "short", ["permissions"] = new JsonArray("fly") });
        await Call("store_credentials", HttpMethod.Post, "/api/exchange/credentials", token, 422, "{not json");

        await Call("list_credentials", HttpMethod.Get, "/api/exchange/credentials", token, 200);
        await Call("list_credentials", HttpMethod.Get, "/api/exchange/credentials?exchange_name=nowhere", token, 422);
        await Call("get_credential", HttpMethod.Get, $"/api/exchange/credentials/{id}", token, 200);
        await Call("get_credential", HttpMethod.Get, $"/api/exchange/credentials/{missing}", token, 404);
        await Call("update_credential", HttpMethod.Put, $"/api/exchange/credentials/{id}", token, 200, new JsonObject { ["credential_name"] = "Renamed" });
        await Call("update_credential", HttpMethod.Put, $"/api/exchange/credentials/{id}", token, 422, new JsonObject { ["is_active"] = "perhaps" });
        await Call("update_credential", HttpMethod.Put, $"/api/exchange/credentials/{missing}", token, 404, new JsonObject { ["credential_name"] = "Nobody" });
        await Call("get_credential_events", HttpMethod.Get, $"/api/exchange/credentials/{id}/events", token, 200);
        await Call("get_credential_events", HttpMethod.Get, $"/api/exchange/credentials/{missing}/events", token, 404);

        await Call("get_trade_route", HttpMethod.Get, "/api/exchange/route?base=BTC&quote=USDT", token, 200);
        await Call("get_trade_route", HttpMethod.Get, "/api/exchange/route?base=BTC&quote=USDT&size=-1", token, 422);
        await Call("sync_balance", HttpMethod.Post, "/api/exchange/balance/sync?exchange=binance", token, 200, "");
        await Call("sync_balance", HttpMethod.Post, "/api/exchange/balance/sync", token, 422, "");
        await Call("get_balance", HttpMethod.Get, "/api/exchange/balance?exchange=binance", token, 200);
        await Call("get_balance", HttpMethod.Get, "/api/exchange/balance", token, 422);
        await Call("get_balance_history", HttpMethod.Get, "/api/exchange/balance/history?exchange=binance&currency=BTC", token, 200);
        await Call("get_balance_history", HttpMethod.Get, "/api/exchange/balance/history?exchange=binance&currency=BTC&limit=0", token, 422);
        await Call("sync_trades", HttpMethod.Post, "/api/exchange/trades/sync?exchange=binance&symbol=BTC/USDT", token, 200, "");
        await Call("sync_trades", HttpMethod.Post, "/api/exchange/trades/sync?exchange=binance&since=1999-01-01", token, 422, "");
        await Call("get_trades", HttpMethod.Get, "/api/exchange/trades?exchange=binance", token, 200);
        await Call("get_trades", HttpMethod.Get, "/api/exchange/trades?exchange=binance&offset=-1", token, 422);
        await Call("get_trade_stats", HttpMethod.Get, "/api/exchange/trades/stats", token, 200);
        await Call("get_trade_stats", HttpMethod.Get, "/api/exchange/trades/stats?start_date=yesterday", token, 422);
        await Call("get_sync_status", HttpMethod.Get, "/api/exchange/sync/status", token, 200);
        await Call("get_sync_status", HttpMethod.Get, "/api/exchange/sync/status?exchange=nowhere", token, 422);
        await Call("get_bnb_burn", HttpMethod.Get, "/api/exchange/bnb-burn?exchange=binance", token, 200);
        await Call("set_bnb_burn", HttpMethod.Post, "/api/exchange/bnb-burn", token, 200, new JsonObject { ["spot_bnb_burn"] = true, ["exchange"] = "binance" });
        await Call("set_bnb_burn", HttpMethod.Post, "/api/exchange/bnb-burn", token, 422, new JsonObject { ["exchange"] = "binance" });
        await Call("get_dustable_assets", HttpMethod.Get, "/api/exchange/dust-assets?exchange=binance", token, 200);
        await Call("list_audit_events", HttpMethod.Get, "/api/audit/events", token, 200);
        await Call("list_audit_events", HttpMethod.Get, "/api/audit/events?stream=everything&limit=0", token, 422);

        await Call("delete_credential", HttpMethod.Delete, $"/api/exchange/credentials/{id}", token, 200);
        await Call("delete_credential", HttpMethod.Delete, $"/api/exchange/credentials/{missing}", token, 404);

        // Every operation of the document was called.
        string.Join(" ", _called.Order(StringComparer.Ordinal)).ShouldBe(string.Join(" ", DocumentNameTests.OperationIds));
    }

    private async Task<JsonNode?> Call(string operationId, HttpMethod method, string url, string? token, int expected, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body is JsonNode node ? node.ToJsonString() : (string)body, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(expected, $"{method} {url}: {text}");
        _called.Add(operationId);

        var instance = JsonNode.Parse(text);
        var results = SchemaOf(operationId, expected.ToString()).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        results.IsValid.ShouldBeTrue($"{method} {url} answered {expected} with a body its schema refuses: {Explain(results)}\n{text}");
        return instance;
    }

    /// <summary>The check itself must see a renamed field: the same body with one property renamed is refused.</summary>
    private void ShouldFailAfterRenaming(JsonNode body, string operationId, string status, string property)
    {
        var renamed = body.DeepClone().AsObject();
        renamed["renamed_" + property] = renamed[property]!.DeepClone();
        renamed.Remove(property);
        SchemaOf(operationId, status).Evaluate(renamed).IsValid.ShouldBeFalse($"a body without '{property}' passes the schema of {operationId} {status}");
    }

    /// <summary>
    /// The response schema of one operation and status as a JSON Schema 2020-12 document of its own: the document's
    /// components become its <c>$defs</c>, so its references resolve inside it.
    /// </summary>
    private JsonSchema SchemaOf(string operationId, string status)
    {
        var operation = _document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!))
            .Single(o => o["operationId"]!.GetValue<string>() == operationId);
        var response = operation["responses"]![status]
                       ?? throw new ShouldAssertException($"{operationId} does not document {status}");
        var schema = response["content"]!["application/json"]!["schema"]!.DeepClone().AsObject();
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["$defs"] = _document["components"]!["schemas"]!.DeepClone();
        return JsonSchema.FromText(schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/"));
    }

    private static string Explain(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));
}
