using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Bitcain.Client;
using Shouldly;

namespace Bitcain.EndToEnd.Tests;

/// <summary>
/// A user of the API through the generated client (clients/Bitcain.Client), as a C# integration would call it. The
/// wire contract tests (exact bytes, 422 lists, headers, hostile input) use the raw <see cref="ApiClient"/> instead.
/// </summary>
public static class Users
{
    /// <param name="wire">When given, keeps the text of every response, so a test can read the same answer both ways.</param>
    public static BitcainClient Client(IAlbaHost gateway, string? token, WireRecorder? wire = null)
    {
        HttpMessageHandler handler = gateway.Server.CreateHandler();
        if (wire is not null)
        {
            wire.InnerHandler = handler;
            handler = wire;
        }
        return new BitcainClient(new HttpClient(handler) { BaseAddress = gateway.Server.BaseAddress }, token);
    }

    public static ExchangeCredentialCreate NewCredential(string exchange = "binance", string name = "Main", string key = "AKIAKEY1234567890",
        string secret = "S3cret-value-never-logged", string? passphrase = null) => new()
    {
        ExchangeName = exchange,
        CredentialName = name,
        ApiKey = key,
        ApiSecret = secret,
        ApiPassphrase = passphrase,
        Permissions = [Permission.Read, Permission.Trade],
        IpWhitelist = ["203.0.113.7", "2001:db8::/32"],
        ExchangeMetadata = JsonSerializer.SerializeToElement(new { testnet = true }),
    };

    /// <summary>The status of a refused call and its <c>{"detail": "..."}</c> message.</summary>
    public static async Task<(int Status, string? Detail)> RefusedAsync(Func<Task> call)
    {
        var refused = await Should.ThrowAsync<BitcainApiException>(call);
        // A status the document declares arrives read (its text is not kept); any other keeps the raw body.
        var detail = refused is BitcainApiException<ErrorDetail> declared ? declared.Result.Detail
            : refused.Response is { Length: > 0 } text && JsonNode.Parse(text) is JsonObject body && body["detail"] is JsonValue value
            ? value.GetValue<string>()
            : null;
        return (refused.StatusCode, detail);
    }

    /// <summary>Stores a credential; on a busy machine a store can outlast the gateway's wait (504), stays queued and is
    /// applied, so a 504 is followed by the list until the credential is there.</summary>
    public static async Task<CredentialResponse> StoreAsync(this BitcainClient user, ExchangeCredentialCreate credential)
    {
        try
        {
            return await user.StoreCredentialsAsync(credential);
        }
        catch (BitcainApiException e) when (e.StatusCode == 504)
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(250))
            {
                var stored = (await user.ListCredentialsAsync(credential.ExchangeName)).Credentials.FirstOrDefault(c => c.CredentialName == credential.CredentialName);
                if (stored is not null) return stored;
            }
            throw;
        }
    }
}

/// <summary>Keeps the body text of every response that passes, in order.</summary>
public sealed class WireRecorder : DelegatingHandler
{
    private readonly List<string> _bodies = [];

    public string Last => _bodies[^1];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        lock (_bodies) _bodies.Add(text);
        return response;
    }
}
