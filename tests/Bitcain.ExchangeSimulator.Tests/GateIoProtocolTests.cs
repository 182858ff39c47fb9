using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Tests;

public sealed class GateIoProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Gate => Sim.BaseUrl("gate_io");
    private SimulatedAccount Demo => Sim.Account("gate_io", "demo");

    /// <summary>Gate's gen_sign(), written out: hex HMAC-SHA512(secret, GET\n/api/v4/path\nquery\nhex(sha512(""))\nseconds).</summary>
    private HttpRequestMessage Signed(string path, string query, SimulatedAccount account, long? seconds = null, string? secret = null)
    {
        var ts = (seconds ?? Sim.Options.Time.GetUtcNow().ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        var bodyHash = string.Concat(SHA512.HashData(Array.Empty<byte>()).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes(secret ?? account.ApiSecret));
        var sign = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes($"GET\n{path}\n{query}\n{bodyHash}\n{ts}")).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var r = new HttpRequestMessage(HttpMethod.Get, Gate + path + (query.Length > 0 ? "?" + query : ""));
        r.Headers.Add("KEY", account.ApiKey);
        r.Headers.Add("Timestamp", ts);
        r.Headers.Add("SIGN", sign);
        return r;
    }

    private static void ShouldBeGateError((int Status, JsonElement Body) answer, int status, string label) =>
        (answer.Status, answer.Body.GetProperty("label").GetString()).ShouldBe((status, label), answer.Body.ToString());

    [Theory]
    [InlineData("/api/v4/margin/currency_pairs")]
    [InlineData("/api/v4/futures/usdt/contracts")]
    [InlineData("/api/v4/futures/btc/contracts")]
    [InlineData("/api/v4/delivery/usdt/contracts")]
    [InlineData("/api/v4/options/underlyings")]
    public async Task listings_of_products_not_simulated_are_valid_and_empty(string path)
    {
        var (status, body) = await Http.GetJsonAsync(Sim.BaseUrl("gate_io") + path);
        (status, body.ValueKind, body.GetArrayLength()).ShouldBe((200, JsonValueKind.Array, 0));
    }

    [Fact]
    public async Task public_calls_and_signed_calls_follow_gates_recipe()
    {
        (await Http.GetJsonAsync($"{Gate}/api/v4/spot/time")).Body.GetProperty("server_time").GetInt64().ShouldBeGreaterThan(0);
        (await Http.GetJsonAsync($"{Gate}/api/v4/spot/currency_pairs")).Body.GetArrayLength().ShouldBeGreaterThan(50);
        (await Http.GetJsonAsync($"{Gate}/api/v4/spot/tickers?currency_pair=BTC_USDT")).Body[0].GetProperty("currency_pair").GetString().ShouldBe("BTC_USDT");

        var accounts = await Http.JsonAsync(Signed("/api/v4/spot/accounts", "", Demo));
        accounts.Status.ShouldBe(200);
        accounts.Body.EnumerateArray().Select(a => a.GetProperty("currency").GetString()).ShouldContain("BTC");
        ShouldBeGateError(await Http.JsonAsync(Signed("/api/v4/spot/accounts", "", Demo with { ApiKey = new string('0', 32) })), 401, "INVALID_KEY");
        ShouldBeGateError(await Http.JsonAsync(Signed("/api/v4/spot/accounts", "", Demo, Sim.Options.Time.GetUtcNow().ToUnixTimeSeconds() - 61)), 401, "REQUEST_EXPIRED");
        ShouldBeGateError(await Http.JsonAsync(Signed("/api/v4/spot/accounts", "", Demo, secret: "wrong")), 401, "INVALID_SIGNATURE");

        var to = Sim.Options.DataEpoch.ToUnixTimeSeconds();
        var page = await Http.JsonAsync(Signed("/api/v4/spot/my_trades", $"limit=10&page=1&from={to - 7 * 86400}&to={to}", Demo));
        page.Status.ShouldBe(200);
        page.Body.GetArrayLength().ShouldBe(10);
        page.Body.EnumerateArray().Select(t => long.Parse(t.GetProperty("create_time").GetString()!, CultureInfo.InvariantCulture)).ShouldBeInOrder(SortDirection.Descending);
        ShouldBeGateError(await Http.JsonAsync(Signed("/api/v4/spot/my_trades", $"from={to - 31 * 86400}&to={to}", Demo)), 400, "INVALID_PARAM_VALUE");
    }
}
