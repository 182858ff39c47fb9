using System.Net.Http.Headers;
using System.Text.Json;
using Bitcain.Contracts.Credentials;
using Bitcain.ServiceDefaults;
using Bitcain.ServiceDefaults.BusIdentity;
using Bitcain.ServiceDefaults.HttpQueries;
using Bitcain.Testing;

namespace Bitcain.Bench;

/// <summary>
/// The credentials read asked of the credentials service directly, as the gateway asks it (a signed query per request),
/// without the gateway: what the service's side of the read path costs, by the bus handler (the typed reply the gateway
/// reads and writes again) and by the writer of the REST body (what the gateway forwards).
/// </summary>
public static class ReadPathLoads
{
    private static readonly BusSigningIdentity Gateway = new("gateway", TestBusIdentities.KeyOf("gateway"));
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private static readonly byte[] PairKey = HttpQueryKeys.Derive(Gateway.Key, TestBusIdentities.KeyOf("credentials"), "gateway", "credentials");

    /// <param name="pairKey">Sign as the gateway does (HS256, the gateway-credentials pair key) instead of ES256.</param>
    public static Task<Measurement> ServiceQueryAsync(string name, string serviceUrl, string messageName, string user, BenchOptions options, bool pairKey = false)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ListCredentials(null), BitcainMessaging.JsonOptions);
        return Load.ClosedLoopAsync(name, (http, _) =>
        {
            var id = Guid.CreateVersion7();
            var request = new HttpRequestMessage(HttpMethod.Post, serviceUrl + HttpQueryIdentity.PathOf(messageName))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
            };
            request.Headers.TryAddWithoutValidation(HttpQueryIdentity.AssertionHeader, pairKey
                ? HttpQueryIdentity.SignWithPairKey(Gateway.Name, PairKey, messageName, id, user, body, DateTimeOffset.UtcNow)
                : HttpQueryIdentity.Sign(Gateway, messageName, id, user, body, DateTimeOffset.UtcNow));
            request.Headers.TryAddWithoutValidation(HttpQueryIdentity.MessageIdHeader, id.ToString());
            request.Headers.TryAddWithoutValidation(HttpQueryIdentity.UserHeader, user);
            return http.SendAsync(request);
        }, null, options);
    }

    public static async Task AddAsync(ResultTable table, SuiteProcesses suite, string bareUrl, string busGateway, string user, BenchOptions options)
    {
        var token = suite.TokenFor(user);
        var ceiling = await Load.ClosedLoopAsync("bare Kestrel + 1 Npgsql query", bareUrl + "/credentials?user=" + user, null, options);
        var forwarded = await Load.ClosedLoopAsync("GET /api/exchange/credentials (gateway, HTTP read path: the service's body forwarded)",
            suite.GatewayUrl + "/api/exchange/credentials", token, options);
        var bus = await Load.ClosedLoopAsync("GET /api/exchange/credentials (gateway, bus query)", busGateway + "/api/exchange/credentials", token, options);
        var service = suite.ServiceUrl("credentials");
        var written = await ServiceQueryAsync("credentials service alone: the REST body written from a compiled query (signed query, no gateway)",
            service, CredentialResponseQueries.List, user, options);
        var typed = await ServiceQueryAsync("credentials service alone: the bus handler's typed reply (signed query, no gateway)",
            service, "bitcain.credentials.list-credentials.v1", user, options);
        table.AddThroughput(forwarded, ceiling);
        table.WithGoal(0.5, "issue #17: the read path at half the bare ceiling");
        table.AddThroughput(bus, ceiling);
        table.AddThroughput(written, ceiling);
        table.AddThroughput(typed, ceiling);
    }
}
