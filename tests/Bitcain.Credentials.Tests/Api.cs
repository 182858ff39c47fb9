using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Bitcain.Testing;
using Shouldly;

namespace Bitcain.Credentials.Tests;

/// <summary>A user of the REST API: raw HTTP with a bearer token; every response body is kept for the secrets scan.</summary>
public sealed class Api(IAlbaHost gateway, string user)
{
    private readonly HttpClient _http = gateway.Server.CreateClient();
    public string User { get; } = user;
    public List<string> Responses { get; } = [];

    public static Api NewUser(IAlbaHost gateway) => new(gateway, "user-" + Guid.NewGuid().ToString("N")[..10]);

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(User));
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Responses.Add(text);
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string url) => SendAsync(HttpMethod.Get, url);
    public Task<(int Status, JsonNode? Body)> PostAsync(string url, object body) => SendAsync(HttpMethod.Post, url, body);
    public Task<(int Status, JsonNode? Body)> PutAsync(string url, object body) => SendAsync(HttpMethod.Put, url, body);
    public Task<(int Status, JsonNode? Body)> DeleteAsync(string url) => SendAsync(HttpMethod.Delete, url);

    public async Task<string> StoreAsync(Dictionary<string, object?> body)
    {
        var (status, created) = await PostAsync("/api/exchange/credentials", body);
        status.ShouldBe(201, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }

    /// <summary>Polls the credential until <paramref name="until"/> holds (background work), or fails after 30 s.</summary>
    public async Task<JsonNode> WaitForAsync(string id, Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, body) = await GetAsync($"/api/exchange/credentials/{id}");
            status.ShouldBe(200);
            if (until(body!)) return body!;
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"credential never reached the expected state: {body!.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static Dictionary<string, object?> Credential(string exchange = "binance", string name = "Main",
        string key = "AKIAKEY1234567890", string secret = "S3cret-value-never-logged") => new()
    {
        ["exchange_name"] = exchange,
        ["credential_name"] = name,
        ["api_key"] = key,
        ["api_secret"] = secret,
        ["permissions"] = new[] { "read", "trade" },
        ["ip_whitelist"] = new[] { "203.0.113.7" },
        ["exchange_metadata"] = new Dictionary<string, object> { ["testnet"] = true },
    };
}

public static class Json
{
    public static string S(this JsonNode? node, string name) => node![name]!.GetValue<string>();
    public static IReadOnlyList<string> Strings(this JsonNode? node, string name) => node![name]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
}
