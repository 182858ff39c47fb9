using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bitcain.ExchangeSimulator;
using Bitcain.Exchanges.Coinbase;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

/// <summary>
/// Coinbase Advanced Trade: tokens checked by decoding them and verifying their signature with the key's public half (no
/// published key + token pair exists, ECDSA is randomized); the recorded payloads of fixtures/raw/coinbase.*.json; and
/// every capability and error against the simulator, which verifies tokens on its own.
/// </summary>
public class CoinbaseClientTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture fixture;

    public CoinbaseClientTests(SimulatorFixture fixture)
    {
        this.fixture = fixture;
        fixture.Sim.Reset();
    }

    private static readonly ExchangeApiCredentials EcKey = new(SeededKeys.CoinbaseDemoKey, SeededKeys.CoinbaseDemoSecret);
    private static readonly ExchangeApiCredentials EdKey = new(SeededKeys.CoinbaseEd25519Key, SeededKeys.CoinbaseEd25519Secret);
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private const string EmptyAccounts = """{"accounts":[],"has_next":false,"cursor":"","size":0}""";

    private RunningSimulator Sim => fixture.Sim;

    private IExchangeClient SimClient(IDictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?> { ["Exchanges:coinbase:BaseUrl"] = Sim.BaseUrl("coinbase") };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        return services.AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<IExchangeClients>().Get("coinbase");
    }

    private ExchangeApiCredentials SimKey(string account = "demo")
    {
        var a = Sim.Account("coinbase", account);
        return new ExchangeApiCredentials(a.ApiKey, a.ApiSecret);
    }

    private static IExchangeClient StubClient(StubExchange stub, string baseUrl) =>
        TestClients.Client(stub, "coinbase", new FakeTimeProvider(Now), new Dictionary<string, string?> { ["Exchanges:coinbase:BaseUrl"] = baseUrl });

    /// <summary>A decoded token: its header and claims as JSON, what was signed, and the signature.</summary>
    private sealed record Jwt(JsonElement Header, JsonElement Claims, byte[] SigningInput, byte[] Signature);

    private static Jwt Decode(string authorization)
    {
        authorization.ShouldStartWith("Bearer ");
        var parts = authorization["Bearer ".Length..].Split('.');
        parts.Length.ShouldBe(3);
        return new Jwt(JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement, JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement,
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]));
    }

    private static void ShouldHaveExactly(JsonElement element, params string[] names) =>
        element.EnumerateObject().Select(p => p.Name).ShouldBe(names, ignoreOrder: true);

    private static void ShouldBeAValidToken(Jwt jwt, string alg, string keyName, string uri)
    {
        ShouldHaveExactly(jwt.Header, "alg", "kid", "nonce", "typ");
        jwt.Header.GetProperty("alg").GetString().ShouldBe(alg);
        jwt.Header.GetProperty("kid").GetString().ShouldBe(keyName);
        jwt.Header.GetProperty("typ").GetString().ShouldBe("JWT");
        jwt.Header.GetProperty("nonce").GetString().ShouldNotBeNull().ShouldMatch("^[0-9a-f]{32}$");
        ShouldHaveExactly(jwt.Claims, "sub", "iss", "nbf", "exp", "uri");
        jwt.Claims.GetProperty("sub").GetString().ShouldBe(keyName);
        jwt.Claims.GetProperty("iss").GetString().ShouldBe("cdp");
        jwt.Claims.GetProperty("nbf").GetInt64().ShouldBe(Now.ToUnixTimeSeconds());
        jwt.Claims.GetProperty("exp").GetInt64().ShouldBe(Now.ToUnixTimeSeconds() + 120);
        jwt.Claims.GetProperty("uri").GetString().ShouldBe(uri);
    }

    [Fact]
    public async Task an_ec_key_signs_an_es256_token_per_request_that_its_public_key_verifies()
    {
        var stub = new StubExchange(_ => StubExchange.Json(EmptyAccounts));
        await StubClient(stub, "https://api.coinbase.com").GetBalancesAsync(EcKey);

        var request = stub.Requests.Single();
        (request.Method, request.Path, request.QueryString).ShouldBe((HttpMethod.Get, "/api/v3/brokerage/accounts", "limit=250"));
        var jwt = Decode(request.Headers["Authorization"]);
        // Production: the host alone, and the path without its query.
        ShouldBeAValidToken(jwt, "ES256", EcKey.ApiKey, "GET api.coinbase.com/api/v3/brokerage/accounts");

        using var publicKey = ECDsa.Create();
        using (var full = ECDsa.Create())
        {
            full.ImportFromPem(EcKey.ApiSecret);
            publicKey.ImportParameters(full.ExportParameters(false));
        }
        jwt.Signature.Length.ShouldBe(64); // r || s, not DER
        publicKey.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeTrue();
        jwt.SigningInput[^1] ^= 1;
        publicKey.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeFalse();
    }

    [Fact]
    public async Task an_ed25519_key_signs_an_eddsa_token_and_the_uri_names_the_simulators_host_port_and_prefix()
    {
        var stub = new StubExchange(_ => StubExchange.Json(EmptyAccounts));
        await StubClient(stub, "http://127.0.0.1:5099/coinbase/").GetBalancesAsync(EdKey);

        var request = stub.Requests.Single();
        request.Path.ShouldBe("/coinbase/api/v3/brokerage/accounts");
        var jwt = Decode(request.Headers["Authorization"]);
        ShouldBeAValidToken(jwt, "EdDSA", EdKey.ApiKey, "GET 127.0.0.1:5099/coinbase/api/v3/brokerage/accounts");

        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(Convert.FromBase64String(EdKey.ApiSecret), 32));
        verifier.BlockUpdate(jwt.SigningInput, 0, jwt.SigningInput.Length);
        verifier.VerifySignature(jwt.Signature).ShouldBeTrue();
    }

    [Fact]
    public async Task each_request_gets_its_own_nonce_and_a_pkcs8_or_escaped_pem_is_read_as_well()
    {
        var stub = new StubExchange(_ => StubExchange.Json(EmptyAccounts));
        var client = StubClient(stub, "https://api.coinbase.com");
        // As pasted out of the key's JSON file: literal \n escapes instead of line breaks.
        var escaped = EcKey with { ApiSecret = EcKey.ApiSecret.Replace("\n", "\\n", StringComparison.Ordinal) };
        await client.GetBalancesAsync(escaped);
        await client.GetBalancesAsync(new ExchangeApiCredentials(SeededKeys.CoinbaseReadOnlyKey, SeededKeys.CoinbaseReadOnlySecret));
        var tokens = stub.Requests.Select(r => Decode(r.Headers["Authorization"])).ToList();
        tokens.Select(t => t.Header.GetProperty("alg").GetString()).ShouldBe(["ES256", "ES256"]);
        tokens.Select(t => t.Header.GetProperty("nonce").GetString()).Distinct().Count().ShouldBe(2);
    }

    public static TheoryData<string> NotKeys => new()
    {
        "not a key at all",
        "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n",
        // A public key is no signing key.
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETCJvzAIqXcmdsqBUYG5QiNVVdrh/RnzAGZiZ8bovU2u8r71qgCMDbAXFb5dYLEEJRyHekadYtN3vxvsMCuHosQ==\n-----END PUBLIC KEY-----\n",
        Convert.ToBase64String(new byte[48]),
        // 64 bytes whose public half does not belong to the seed: a damaged paste.
        Convert.ToBase64String(new byte[64]),
        "",
    };

    [Theory]
    [MemberData(nameof(NotKeys))]
    public async Task a_secret_that_is_no_ec_or_ed25519_private_key_is_an_auth_error_that_sends_nothing_and_repeats_nothing(string secret)
    {
        var stub = new StubExchange(_ => StubExchange.Json(EmptyAccounts));
        var e = await Should.ThrowAsync<ExchangeException>(() => StubClient(stub, "https://api.coinbase.com").GetBalancesAsync(EcKey with { ApiSecret = secret }));
        (e.ErrorType, e.ExchangeCode).ShouldBe((ExchangeErrorType.AuthError, "invalid_secret"));
        e.Message.ShouldContain("neither an EC P-256 private key (PEM) nor an Ed25519 private key (base64)");
        if (secret.Length >= 8) e.Message.ShouldNotContain(secret[..8]);
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_p384_key_is_refused_as_coinbase_only_issues_p256()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var stub = new StubExchange(_ => StubExchange.Json(EmptyAccounts));
        var e = await Should.ThrowAsync<ExchangeException>(() =>
            StubClient(stub, "https://api.coinbase.com").GetKeyPermissionsAsync(EcKey with { ApiSecret = p384.ExportECPrivateKeyPem() }));
        e.ExchangeCode.ShouldBe("invalid_secret");
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void the_recorded_payloads_parse_into_unified_models()
    {
        var product = Fixture.Text("raw/coinbase.product.BTC-USD.json");
        var btc = CoinbaseParsers.Product(product, 0.006m, 0.012m);
        (btc.Symbol, btc.ExchangeSymbol, btc.Base, btc.Quote, btc.Active).ShouldBe(("BTC/USD", "BTC-USD", "BTC", "USD", true));
        btc.Precision.ShouldBe(new MarketPrecision(0.00000001m, 0.01m));
        btc.Limits.Amount.ShouldBe(new MinMax(0.00000001m, 3400m));
        btc.Limits.Cost.ShouldBe(new MinMax(1m, 150000000m));
        CoinbaseParsers.Markets($$"""{"products":[{{product}}],"num_products":1}""", 0.006m, 0.012m).Single().ShouldBe(btc);

        var ticker = CoinbaseParsers.Ticker(Fixture.Text("raw/coinbase.ticker.BTC-USD.json"), product, btc, Now);
        (ticker.Bid, ticker.Ask, ticker.Last, ticker.BaseVolume, ticker.QuoteVolume).ShouldBe((68923.66m, 68923.67m, 68923.67m, 11005.02587005m, 758506771.41m));
        ticker.ChangePercent.ShouldBe(-0.28560028m);
        ticker.Open.ShouldNotBeNull().ShouldBe(69121.08m, 0.0001m); // 68923.67 / (1 - 0.2856%)
        (ticker.Open + ticker.Change).ShouldBe(68923.67m);
        ticker.Timestamp.ShouldBe(DateTimeOffset.Parse("2026-04-07T00:28:58.544Z", System.Globalization.CultureInfo.InvariantCulture));

        var (accounts, next) = CoinbaseParsers.Accounts(Fixture.Text("raw/coinbase.accounts.json"));
        next.ShouldBeNull();
        var balances = CoinbaseParsers.Balances(accounts);
        balances["BTC"].ShouldBe(new Balance("BTC", 1.23456789m, 0.005m));
        balances["USD"].ShouldBe(new Balance("USD", 10000.5m, 450m));

        var (fills, cursor) = CoinbaseParsers.Fills(Fixture.Text("raw/coinbase.fills.json"), id => id == "BTC-USD" ? btc : null);
        cursor.ShouldBeNull();
        var buy = fills[0];
        buy.EntryId.ShouldBe("22222-2222222-22222222");
        buy.Trade.ShouldBe(new Trade("1111-11111-111111", "0000-000000-000000", "BTC/USD", "BTC-USD", TradeSide.Buy, 45123.45m, 0.005m,
            225.61725m, 1.14m, "USD", new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero), TradeLiquidity.Maker));
        var sell = fills[1].Trade;
        (sell.Symbol, sell.Side, sell.Liquidity, sell.FeeCurrency, sell.Cost).ShouldBe(("ETH/USD", TradeSide.Sell, TradeLiquidity.Taker, "USD", 99.9999m));

        CoinbaseParsers.Permissions("""{"can_view":true,"can_trade":false,"can_transfer":true,"portfolio_uuid":"p","portfolio_type":"DEFAULT"}""")
            .Names.ShouldBe(["read", "withdraw"]);
        CoinbaseParsers.ServerTime("""{"iso":"2026-01-02T03:04:05Z","epochSeconds":"1767323045","epochMillis":"1767323045678"}""")
            .ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1767323045678));
    }

    [Fact]
    public async Task an_unreadable_answer_is_a_malformed_response_not_a_crash()
    {
        var stub = new StubExchange(_ => StubExchange.Json("""{"unexpected":true}"""));
        var e = await Should.ThrowAsync<ExchangeException>(() => StubClient(stub, "https://api.coinbase.com").GetKeyPermissionsAsync(EcKey));
        e.ErrorType.ShouldBe(ExchangeErrorType.MalformedResponse);
    }

    [Fact]
    public async Task against_the_simulator_health_and_markets_carry_coinbase_precision_limits_and_status()
    {
        var client = SimClient();
        var health = await client.GetHealthAsync();
        health.Status.ShouldBe(ExchangeSystemStatus.Normal);
        (health.ServerTime!.Value - DateTimeOffset.UtcNow).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));

        var markets = await client.GetMarketsAsync();
        var btc = markets.Single(m => m.ExchangeSymbol == "BTC-USD");
        (btc.Symbol, btc.Active).ShouldBe(("BTC/USD", true));
        btc.Precision.ShouldBe(new MarketPrecision(0.00000001m, 0.01m));
        btc.Limits.ShouldBe(new MarketLimits(new MinMax(0.00000001m, 3400m), new MinMax(1m, 150000000m), MinMax.None));
        markets.ShouldNotContain(m => m.ExchangeSymbol == "BIT-28NOV26-CDE"); // product_type=SPOT
        markets.ShouldContain(m => !m.Active); // delisted products stay listed, inactive
        Sim.Requests.Count("coinbase", "/api/v3/brokerage/market/products").ShouldBe(1);

        foreach (var spelling in new[] { "BTC/USD", "btc-usd", "BTCUSD" })
            (await client.GetTickerAsync(spelling)).ExchangeSymbol.ShouldBe("BTC-USD");
        var ticker = await client.GetTickerAsync("ETH/USDC");
        (ticker.Bid < ticker.Ask, ticker.Last > 0, ticker.ChangePercent is not null, ticker.BaseVolume > 0).ShouldBe((true, true, true, true));
        Sim.Requests.Count("coinbase", "/api/v3/brokerage/market/products/ETH-USDC/ticker").ShouldBe(1);
        var unknown = await Should.ThrowAsync<ExchangeException>(() => client.GetTickerAsync("NOPE/USD"));
        (unknown.ErrorType, unknown.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "unknown_symbol"));
    }

    [Fact]
    public async Task against_the_simulator_balances_follow_the_cursor_to_the_last_page_and_leave_empty_wallets_out()
    {
        var balances = await SimClient().GetBalancesAsync(SimKey());
        balances.Keys.ShouldBe(["BTC", "USD", "ETH", "USDC", "SOL"], ignoreOrder: true);
        balances["USD"].ShouldBe(new Balance("USD", 1200m, 150m));
        Sim.Requests.Count("coinbase", "/api/v3/brokerage/accounts").ShouldBe(2); // 300 accounts, 250 per page
    }

    [Fact]
    public async Task against_the_simulator_an_ed25519_key_reads_balances_permissions_and_trades()
    {
        var client = SimClient();
        var key = SimKey("demo-ed25519");
        (await client.GetBalancesAsync(key))["BTC"].ShouldBe(new Balance("BTC", 0.01m, 0.001m));
        (await client.GetKeyPermissionsAsync(key)).Names.ShouldBe(["read", "trade", "withdraw"]);
        (await client.GetMyTradesAsync(key, new MyTradesQuery()).ToListAsync()).SelectMany(p => p.Trades).Count().ShouldBe(12);
    }

    [Fact]
    public async Task against_the_simulator_trades_page_back_to_the_end_of_history_and_resume_from_a_cursor()
    {
        var client = SimClient();
        var pages = await client.GetMyTradesAsync(SimKey(), new MyTradesQuery(PageSize: 40)).ToListAsync();
        var trades = pages.SelectMany(p => p.Trades).ToList();
        trades.Count.ShouldBe(310);
        trades.Select(t => t.Id).Distinct().Count().ShouldBe(310);
        pages.Count.ShouldBe(8);
        pages.Last().NextCursor.ShouldBeNull();
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.NextCursor != null);
        pages.ShouldAllBe(p => p.Trades.Select(t => t.Timestamp).SequenceEqual(p.Trades.Select(t => t.Timestamp).Order()));
        trades.ShouldAllBe(t => t.Fee > 0 && t.FeeCurrency != null && t.Liquidity != null && t.Cost == t.Price * t.Amount && t.OrderId != null);
        trades.Select(t => t.Symbol).ShouldContain("BTC/USDC");

        var rest = await client.GetMyTradesAsync(SimKey(), new MyTradesQuery(PageSize: 40, Cursor: pages[2].NextCursor)).ToListAsync();
        rest.SelectMany(p => p.Trades).Select(t => t.Id).ShouldBe(pages.Skip(3).SelectMany(p => p.Trades).Select(t => t.Id));

        var since = Sim.Options.DataEpoch.AddDays(-10);
        var btc = (await client.GetMyTradesAsync(SimKey(), new MyTradesQuery("BTC/USD", since)).ToListAsync()).SelectMany(p => p.Trades).ToList();
        btc.ShouldNotBeEmpty();
        btc.Select(t => t.Id).ShouldBe(trades.Where(t => t.Symbol == "BTC/USD" && t.Timestamp >= since).Select(t => t.Id), ignoreOrder: true);

        var fromId = await Should.ThrowAsync<ExchangeException>(async () => await client.GetMyTradesAsync(SimKey(), new MyTradesQuery(FromTradeId: "1")).ToListAsync());
        (fromId.ErrorType, fromId.ExchangeCode).ShouldBe((ExchangeErrorType.InvalidRequest, "unsupported_from_id"));
        var badCursor = await Should.ThrowAsync<ExchangeException>(async () => await client.GetMyTradesAsync(SimKey(), new MyTradesQuery(Cursor: "end:1")).ToListAsync());
        badCursor.ExchangeCode.ShouldBe("invalid_cursor");
    }

    [Fact]
    public async Task against_the_simulator_the_load_account_pages_through_its_long_history()
    {
        var pages = await SimClient().GetMyTradesAsync(SimKey("load"), new MyTradesQuery(PageSize: 100)).ToListAsync();
        pages.Sum(p => p.Trades.Count).ShouldBe(5000);
        pages.SelectMany(p => p.Trades).Select(t => t.Id).Distinct().Count().ShouldBe(5000);
    }

    [Fact]
    public async Task against_the_simulator_another_keys_secret_or_an_expired_token_is_an_auth_error_with_coinbases_401()
    {
        var demo = SimKey();
        var wrong = demo with { ApiSecret = SeededKeys.CoinbaseLoadSecret };
        var e = await Should.ThrowAsync<ExchangeException>(() => SimClient().GetBalancesAsync(wrong));
        (e.ErrorType, e.HttpStatus, e.ExchangeCode).ShouldBe((ExchangeErrorType.AuthError, 401, "unauthorized"));
        e.Message.ShouldNotContain("BEGIN");
        e.Message.ShouldNotContain(demo.ApiKey);

        // Our clock three minutes behind: the token expired before the exchange saw it.
        var late = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-3));
        var expired = await Should.ThrowAsync<ExchangeException>(() => SimClient(time: late).GetKeyPermissionsAsync(demo));
        expired.ErrorType.ShouldBe(ExchangeErrorType.AuthError);
    }

    [Fact]
    public async Task against_the_simulator_a_scope_refusal_is_permission_denied_and_names_no_secret()
    {
        Sim.Faults.Add(new Fault(FaultKind.ServerError) { Exchange = "coinbase", Path = "/api/v3/brokerage/key_permissions", StatusCode = 403 });
        var demo = SimKey();
        var e = await Should.ThrowAsync<ExchangeException>(() => SimClient().GetKeyPermissionsAsync(demo));
        e.ErrorType.ShouldBe(ExchangeErrorType.PermissionDenied);
        e.ToString().ShouldNotContain(demo.ApiSecret[40..60]);
    }

    [Fact]
    public async Task against_the_simulator_the_per_second_limit_answers_429_and_the_client_holds_back_the_key()
    {
        var limit = Sim.Options.Coinbase.PrivateRequestsPerSecond;
        Sim.Options.Coinbase.PrivateRequestsPerSecond = 1;
        try
        {
            var key = SimKey("readonly");
            var client = SimClient(new Dictionary<string, string?> { ["Exchanges:coinbase:RateLimit"] = "100", ["Exchanges:coinbase:RateDecayPerSecond"] = "100",
                ["Exchanges:coinbase:MaxRetryAfterSeconds"] = "0.001" });
            var e = await Should.ThrowAsync<ExchangeException>(async () => { for (var i = 0; i < 4; i++) await client.GetKeyPermissionsAsync(key); });
            (e.ErrorType, e.ExchangeCode, e.RetryAfter).ShouldBe((ExchangeErrorType.RateLimited, "RATE_LIMIT_EXCEEDED", TimeSpan.FromSeconds(1)));
            // Held back for the second Coinbase asked: the next call waits instead of sending.
            var before = Sim.Requests.Count("coinbase", "/api/v3/brokerage/key_permissions");
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Should.ThrowAsync<OperationCanceledException>(() => client.GetKeyPermissionsAsync(key, cts.Token));
            Sim.Requests.Count("coinbase", "/api/v3/brokerage/key_permissions").ShouldBe(before);
        }
        finally
        {
            Sim.Options.Coinbase.PrivateRequestsPerSecond = limit;
        }
    }

    [Fact]
    public async Task the_default_limiter_keeps_a_burst_within_thirty_requests_a_second_per_key()
    {
        var client = SimClient();
        var key = SimKey("load");
        var started = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 45).Select(_ => client.GetKeyPermissionsAsync(key)));
        // 15 at once, then 15 a second: 45 calls need about two seconds and none is refused by the simulator's 30/s.
        (DateTimeOffset.UtcNow - started).ShouldBeGreaterThan(TimeSpan.FromSeconds(1.5));
        Sim.Requests.Count("coinbase", "/api/v3/brokerage/key_permissions").ShouldBe(45);
    }
}
