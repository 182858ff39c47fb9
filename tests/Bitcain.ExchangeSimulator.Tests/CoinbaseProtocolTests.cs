using System.Buffers.Text;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>Coinbase Advanced Trade over the wire, with CDP tokens written out here by hand (not by the client library).</summary>
public sealed class CoinbaseProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string Api = "/api/v3/brokerage";

    private RunningSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private string Coinbase => Sim.BaseUrl("coinbase");
    private SimulatedAccount Demo => Sim.Account("coinbase", "demo");

    /// <summary>The <c>uri</c> claim the simulator expects: method, the host with its port, the full path.</summary>
    private string UriOf(string path) => "GET " + new Uri(Coinbase + path).Authority + new Uri(Coinbase + path).AbsolutePath;

    private static JsonDocument Recorded(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>A CDP token: ES256 (P1363 r||s) for a PEM key, EdDSA for a base64 Ed25519 key; every part can be spoiled.</summary>
    private static string Token(SimulatedAccount account, string uri, DateTimeOffset? at = null, string? alg = null, string? sub = null, string iss = "cdp",
        long lifetime = 120, bool derSignature = false, Action<Dictionary<string, object>>? reshape = null)
    {
        var now = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var ed = !account.ApiSecret.Contains("BEGIN", StringComparison.Ordinal);
        var header = JsonSerializer.Serialize(new Dictionary<string, string>
            { ["alg"] = alg ?? (ed ? "EdDSA" : "ES256"), ["kid"] = account.ApiKey, ["nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), ["typ"] = "JWT" });
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
            { ["sub"] = sub ?? account.ApiKey, ["iss"] = iss, ["nbf"] = now, ["exp"] = now + lifetime, ["uri"] = uri }.Also(reshape));
        var input = Encoding.ASCII.GetBytes(B64(header) + "." + B64(claims));
        byte[] signature;
        if (ed)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, new Ed25519PrivateKeyParameters(Convert.FromBase64String(account.ApiSecret), 0));
            signer.BlockUpdate(input, 0, input.Length);
            signature = signer.GenerateSignature();
        }
        else
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(account.ApiSecret);
            signature = ec.SignData(input, HashAlgorithmName.SHA256,
                derSignature ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        return Encoding.ASCII.GetString(input) + "." + Base64Url.EncodeToString(signature);
    }

    private async Task<(int Status, string Body)> GetAsync(string pathAndQuery, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Coinbase + pathAndQuery);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> OkAsync(string pathAndQuery, SimulatedAccount? account = null)
    {
        var path = pathAndQuery.Split('?')[0];
        var (status, body) = await GetAsync(pathAndQuery, account is null ? null : Token(account, UriOf(path)));
        status.ShouldBe(200, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task public_time_products_and_ticker_have_the_recorded_shapes()
    {
        var time = await OkAsync(Api + "/time");
        long.Parse(time.GetProperty("epochMillis").GetString()!, CultureInfo.InvariantCulture).ShouldBeInRange(
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        time.GetProperty("iso").GetString().ShouldEndWith("Z");

        var spot = await OkAsync(Api + "/market/products?product_type=SPOT");
        var products = spot.GetProperty("products").EnumerateArray().ToList();
        spot.GetProperty("num_products").GetInt32().ShouldBe(products.Count);
        products.ShouldAllBe(p => p.GetProperty("product_type").GetString() == "SPOT");
        products.Count.ShouldBeGreaterThan(100);
        (await OkAsync(Api + "/market/products")).GetProperty("products").GetArrayLength().ShouldBe(products.Count + 1); // and a future

        var btc = await OkAsync(Api + "/market/products/BTC-USD");
        using var recorded = Recorded("coinbase.product.BTC-USD.json");
        btc.EnumerateObject().Select(p => p.Name).ShouldBe(recorded.RootElement.EnumerateObject().Select(p => p.Name));
        foreach (var field in new[] { "base_increment", "quote_increment", "base_min_size", "base_max_size", "quote_min_size", "quote_max_size", "price_increment", "status" })
            btc.GetProperty(field).GetString().ShouldBe(recorded.RootElement.GetProperty(field).GetString(), field);

        var ticker = await OkAsync(Api + "/market/products/BTC-USD/ticker?limit=3");
        ticker.GetProperty("trades").GetArrayLength().ShouldBe(3);
        decimal.Parse(ticker.GetProperty("best_bid").GetString()!, CultureInfo.InvariantCulture)
            .ShouldBeLessThan(decimal.Parse(ticker.GetProperty("best_ask").GetString()!, CultureInfo.InvariantCulture));
        (await GetAsync(Api + "/market/products/BTC-USD/ticker", null)).Status.ShouldBe(400); // limit is required
        var unknown = await GetAsync(Api + "/market/products/NOPE-USD", null);
        (unknown.Status, JsonDocument.Parse(unknown.Body).RootElement.GetProperty("error").GetString()).ShouldBe((404, "NOT_FOUND"));
    }

    [Fact]
    public async Task an_es256_token_for_exactly_this_request_reads_accounts_page_by_page()
    {
        var first = await OkAsync(Api + "/accounts?limit=250", Demo);
        first.GetProperty("accounts").GetArrayLength().ShouldBe(250);
        first.GetProperty("has_next").GetBoolean().ShouldBeTrue();
        var cursor = first.GetProperty("cursor").GetString()!;
        var second = await OkAsync(Api + "/accounts?limit=250&cursor=" + Uri.EscapeDataString(cursor), Demo);
        (second.GetProperty("accounts").GetArrayLength(), second.GetProperty("has_next").GetBoolean(), second.GetProperty("cursor").GetString()).ShouldBe((50, false, ""));
        var btc = first.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("currency").GetString() == "BTC");
        (btc.GetProperty("available_balance").GetProperty("value").GetString(), btc.GetProperty("hold").GetProperty("value").GetString()).ShouldBe(("0.4", "0.03"));
        (await OkAsync(Api + "/accounts", Demo)).GetProperty("size").GetInt32().ShouldBe(49); // Coinbase's default page
    }

    public static TheoryData<string> SpoiledTokens => new() { "other-path", "other-port", "no-prefix", "with-query", "expired", "future", "too-long", "sub", "iss", "aud", "uris-other", "no-uri", "alg", "der", "tampered", "none" };

    [Theory]
    [MemberData(nameof(SpoiledTokens))]
    public async Task a_token_that_is_wrong_in_any_part_gets_coinbases_plain_401(string how)
    {
        var path = Api + "/accounts";
        var uri = UriOf(path);
        var authority = new Uri(Coinbase).Authority;
        var token = how switch
        {
            "other-path" => Token(Demo, UriOf(Api + "/key_permissions")),
            "other-port" => Token(Demo, uri.Replace(authority, "127.0.0.1:1", StringComparison.Ordinal)),
            "no-prefix" => Token(Demo, "GET " + authority + path),
            "with-query" => Token(Demo, uri + "?limit=250"),
            "expired" => Token(Demo, uri, DateTimeOffset.UtcNow.AddMinutes(-3)),
            "future" => Token(Demo, uri, DateTimeOffset.UtcNow.AddMinutes(1)),
            "too-long" => Token(Demo, uri, lifetime: 3600),
            "sub" => Token(Demo, uri, sub: Sim.Account("coinbase", "readonly").ApiKey),
            "iss" => Token(Demo, uri, iss: "someone-else"),
            "aud" => Token(Demo, uri, reshape: c => c["aud"] = new[] { "other_service" }),
            "uris-other" => Token(Demo, uri, reshape: c => { c.Remove("uri"); c["uris"] = new[] { UriOf(Api + "/key_permissions") }; }),
            "no-uri" => Token(Demo, uri, reshape: c => c.Remove("uri")),
            "alg" => Token(Demo, uri, alg: "EdDSA"),
            "der" => Token(Demo, uri, derSignature: true),
            "tampered" => Token(Demo, uri)[..^4] + "AAAA",
            _ => null,
        };
        var (status, body) = await GetAsync(path, token);
        (status, body.Trim()).ShouldBe((401, "Unauthorized"));
        (await GetAsync(path, Token(Demo, uri))).Status.ShouldBe(200); // the same request with a good token passes
    }

    public static TheoryData<string, string> AcceptedTokenForms => new()
    {
        { "demo", "cdp-uri" },
        { "demo", "coinbase-cloud-retail-aud" },
        { "demo", "aud-string" },
        { "demo", "uris-list" },
        { "demo-ed25519", "cdp-service-uris" },
        { "demo-ed25519", "cdp-uri" },
    };

    /// <summary>Each form Coinbase's CDP keys are signed in: the CDP SDKs' (iss cdp, a uri or a uris list, no aud), the ES256
    /// form the official coinbase-advanced-py and ccxt still write (iss coinbase-cloud, aud retail_rest_api_proxy, FACTS.md §4), and the
    /// Ed25519 form with aud cdp_service and a uris list.</summary>
    [Theory]
    [MemberData(nameof(AcceptedTokenForms))]
    public async Task every_token_form_coinbase_accepts_is_accepted(string account, string form)
    {
        var key = Sim.Account("coinbase", account);
        var path = Api + "/key_permissions";
        var uri = UriOf(path);
        var token = form switch
        {
            "cdp-uri" => Token(key, uri),
            "coinbase-cloud-retail-aud" => Token(key, uri, iss: "coinbase-cloud", reshape: c => c["aud"] = new[] { "retail_rest_api_proxy" }),
            "aud-string" => Token(key, uri, reshape: c => c["aud"] = "retail_rest_api_proxy"),
            "uris-list" => Token(key, uri, reshape: c => { c.Remove("uri"); c["uris"] = new[] { UriOf(Api + "/accounts"), uri }; }),
            "cdp-service-uris" => Token(key, uri, reshape: c => { c.Remove("uri"); c["uris"] = new[] { uri }; c["aud"] = new[] { "cdp_service" }; }),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        var (status, body) = await GetAsync(path, token);
        status.ShouldBe(200, body);
    }

    [Fact]
    public async Task the_coinbase_app_v2_accounts_show_each_wallets_whole_balance_and_its_currency_lists_are_public()
    {
        var accounts = await OkAsync("/v2/accounts?limit=300", Demo);
        var read = accounts.GetProperty("data").EnumerateArray()
            .Select(a => (a.GetProperty("balance").GetProperty("currency").GetString()!, decimal.Parse(a.GetProperty("balance").GetProperty("amount").GetString()!, CultureInfo.InvariantCulture)))
            .Where(b => b.Item2 != 0m).ToDictionary(b => b.Item1, b => b.Item2);
        read.ShouldBe(Sim.Holdings("coinbase", "demo").Balances, ignoreOrder: true);
        accounts.GetProperty("pagination").GetProperty("next_uri").ValueKind.ShouldBe(JsonValueKind.Null);
        var firstPage = await OkAsync("/v2/accounts?limit=2", Demo);
        var after = firstPage.GetProperty("pagination").GetProperty("next_starting_after").GetString()!;
        (await OkAsync("/v2/accounts?limit=2&starting_after=" + after, Demo)).GetProperty("data")[0].GetProperty("id").GetString()
            .ShouldBe(accounts.GetProperty("data")[2].GetProperty("id").GetString());
        (await GetAsync("/v2/accounts", null)).Status.ShouldBe(401);

        (await OkAsync("/v2/currencies")).GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ShouldContain("USD");
        (await OkAsync("/v2/currencies/crypto")).GetProperty("data").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ShouldContain("BTC");
        var rates = (await OkAsync("/v2/exchange-rates")).GetProperty("data");
        rates.GetProperty("currency").GetString().ShouldBe("USD");
        decimal.Parse(rates.GetProperty("rates").GetProperty("BTC").GetString()!, CultureInfo.InvariantCulture).ShouldBeInRange(0.000005m, 0.00002m);
    }

    [Fact]
    public async Task an_eddsa_token_of_the_ed25519_account_is_accepted_and_permissions_follow_the_key()
    {
        var ed = Sim.Account("coinbase", "demo-ed25519");
        var permissions = await OkAsync(Api + "/key_permissions", ed);
        (permissions.GetProperty("can_view").GetBoolean(), permissions.GetProperty("can_trade").GetBoolean(), permissions.GetProperty("can_transfer").GetBoolean())
            .ShouldBe((true, true, true));
        permissions.GetProperty("portfolio_type").GetString().ShouldBe("DEFAULT");
        var readOnly = await OkAsync(Api + "/key_permissions", Sim.Account("coinbase", "readonly"));
        (readOnly.GetProperty("can_view").GetBoolean(), readOnly.GetProperty("can_trade").GetBoolean()).ShouldBe((true, false));
        (await GetAsync(Api + "/key_permissions", Token(ed, UriOf(Api + "/key_permissions"), alg: "ES256"))).Status.ShouldBe(401);
    }

    [Fact]
    public async Task fills_come_newest_first_and_the_cursor_walks_back_to_the_start()
    {
        var ids = new List<string>();
        var times = new List<DateTimeOffset>();
        string cursor = "";
        do
        {
            var page = await OkAsync(Api + "/orders/historical/fills?limit=100" + (cursor.Length > 0 ? "&cursor=" + cursor : ""), Demo);
            foreach (var f in page.GetProperty("fills").EnumerateArray())
            {
                ids.Add(f.GetProperty("entry_id").GetString()!);
                times.Add(DateTimeOffset.Parse(f.GetProperty("trade_time").GetString()!, CultureInfo.InvariantCulture));
            }
            cursor = page.GetProperty("cursor").GetString()!;
        } while (cursor.Length > 0);
        ids.Count.ShouldBe(310);
        ids.Distinct().Count().ShouldBe(310);
        times.ShouldBe(times.OrderDescending());

        var since = Sim.Options.DataEpoch.AddDays(-5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var recent = await OkAsync($"{Api}/orders/historical/fills?limit=1000&product_ids=BTC-USD&start_sequence_timestamp={since}", Demo);
        recent.GetProperty("fills").EnumerateArray().ShouldAllBe(f => f.GetProperty("product_id").GetString() == "BTC-USD");
        recent.GetProperty("fills").GetArrayLength().ShouldBeGreaterThan(0);
        var fill = recent.GetProperty("fills")[0];
        using var recorded = Recorded("coinbase.fills.json");
        fill.EnumerateObject().Select(p => p.Name).ShouldBe(recorded.RootElement.GetProperty("fills")[0].EnumerateObject().Select(p => p.Name));
        (await GetAsync(Api + "/orders/historical/fills?limit=0", Token(Demo, UriOf(Api + "/orders/historical/fills")))).Status.ShouldBe(400);
    }

    [Fact]
    public async Task over_thirty_requests_a_second_per_key_is_429_rate_limit_exceeded()
    {
        // The simulator's clock stands still, so every request falls in one second however slowly the machine sends them
        // (a burst on the wall clock could straddle a second and never reach the limit).
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, 100, TimeSpan.Zero));
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Time = clock });
        var load = sim.Account("coinbase", "load");
        var url = sim.BaseUrl("coinbase") + Api + "/key_permissions";
        var uri = "GET " + new Uri(url).Authority + new Uri(url).AbsolutePath;
        async Task<(int Status, string Body)> AskAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(load, uri, clock.GetUtcNow()));
            using var response = await Http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        for (var i = 0; i < 30; i++) (await AskAsync()).Status.ShouldBe(200);
        var refused = await AskAsync();

        refused.Status.ShouldBe(429);
        JsonDocument.Parse(refused.Body).RootElement.GetProperty("error").GetString().ShouldBe("RATE_LIMIT_EXCEEDED");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await AskAsync()).Status.ShouldBe(200);
    }

    [Fact]
    public async Task faults_answer_as_coinbase_would()
    {
        var id = Sim.Faults.Add(new Fault(FaultKind.RateLimited) { Exchange = "coinbase", ApiKey = Demo.ApiKey, RetryAfterSeconds = 3 });
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Coinbase + Api + "/accounts");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(Demo, UriOf(Api + "/accounts")));
            using var limited = await Http.SendAsync(request);
            ((int)limited.StatusCode, limited.Headers.RetryAfter?.Delta).ShouldBe((429, TimeSpan.FromSeconds(3)));
            // Aimed at the demo key: another key is served.
            (await GetAsync(Api + "/key_permissions", Token(Sim.Account("coinbase", "readonly"), UriOf(Api + "/key_permissions")))).Status.ShouldBe(200);
        }
        finally
        {
            Sim.Faults.Remove(id);
        }
        Sim.Faults.Add(new Fault(FaultKind.Maintenance) { Exchange = "coinbase", Times = 1 });
        var down = await GetAsync(Api + "/time", null);
        (down.Status, JsonDocument.Parse(down.Body).RootElement.GetProperty("error").GetString()).ShouldBe((503, "UNAVAILABLE"));
    }
}

internal static class ClaimsShaping
{
    public static Dictionary<string, object> Also(this Dictionary<string, object> claims, Action<Dictionary<string, object>>? reshape)
    {
        reshape?.Invoke(claims);
        return claims;
    }
}
