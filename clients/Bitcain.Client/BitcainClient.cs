using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bitcain.Client;

/// <summary>
/// The gateway's API as typed methods, one per operation of its OpenAPI document (generated at build time into
/// obj/). The caller's <see cref="HttpClient"/> carries the gateway's address (<see cref="HttpClient.BaseAddress"/>);
/// the bearer token goes on each request, never on the shared client's default headers, so one HttpClient can serve
/// many users' clients.
/// </summary>
public partial class BitcainClient
{
    private readonly AuthenticationHeaderValue? _authorization;

    /// <param name="httpClient">Its BaseAddress is the gateway's, e.g. <c>https://bitcain.example/</c>.</param>
    /// <param name="bearerToken">The user's JWT; null for the endpoints that need none (health).</param>
    public BitcainClient(HttpClient httpClient, string? bearerToken) : this(httpClient)
    {
        if (bearerToken is not null) _authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
    }

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, string url)
    {
        if (_authorization is not null) request.Headers.Authorization = _authorization;
    }

    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        // The contract's enumerations travel as their snake_case names ("read", "gate_io"), never as numbers.
        settings.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        // A field left unset is left out: an update changes only what it names, and a body's defaults stay the server's.
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Amounts are read exactly whether the gateway writes them as JSON numbers or as strings.
        settings.NumberHandling = JsonNumberHandling.AllowReadingFromString;
    }
}
