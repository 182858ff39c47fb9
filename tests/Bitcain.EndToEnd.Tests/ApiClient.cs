using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;

namespace Bitcain.EndToEnd.Tests;

/// <summary>A REST client of the gateway as a user sees it: raw HTTP, JSON bodies, a bearer token.</summary>
public sealed class ApiClient(IAlbaHost gateway, string? token)
{
    private readonly HttpClient _http = gateway.Server.CreateClient();

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string url, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text), response);
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(string url) => SendAsync(HttpMethod.Get, url);

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string url, object body) =>
        SendAsync(HttpMethod.Post, url, body as string ?? JsonSerializer.Serialize(body));

    public static object NewCredential(string exchange = "binance", string name = "Main", string key = "AKIAKEY1234567890", string secret = "S3cret-value-never-logged") =>
        new Dictionary<string, object?>
        {
            ["exchange_name"] = exchange,
            ["credential_name"] = name,
            ["api_key"] = key,
            ["api_secret"] = secret,
            ["permissions"] = new[] { "read", "trade" },
            ["ip_whitelist"] = new[] { "203.0.113.7", "2001:db8::/32" },
            ["exchange_metadata"] = new Dictionary<string, object> { ["testnet"] = true },
        };
}
