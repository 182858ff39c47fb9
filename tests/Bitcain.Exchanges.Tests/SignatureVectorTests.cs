using Bitcain.Exchanges.Binance;
using Bitcain.Exchanges.Bitfinex;
using Bitcain.Exchanges.Coinbase;
using Bitcain.Exchanges.Kraken;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class SignatureVectorTests
{
    private static System.Text.Json.JsonElement Vector(string id) =>
        Fixture.Json("signature-vectors.json").GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);

    [Theory]
    [InlineData("binance-hmac-ascii")]
    [InlineData("binance-hmac-nonascii")]
    public void binance_signature_over_a_query_string_matches_the_official_example(string id)
    {
        var v = Vector(id);
        BinanceSigner.Sign(v.GetProperty("secretKey").GetString()!, v.GetProperty("payload").GetString()!)
            .ShouldBe(v.GetProperty("signature").GetString());
    }

    [Fact]
    public void binance_signature_over_query_and_body_concatenates_them_without_a_separator()
    {
        var v = Vector("binance-hmac-query-plus-body");
        BinanceSigner.Sign(v.GetProperty("secretKey").GetString()!, v.GetProperty("queryString").GetString()!, v.GetProperty("requestBody").GetString()!)
            .ShouldBe(v.GetProperty("signature").GetString());
    }

    [Fact]
    public void binance_parameters_are_percent_encoded_as_utf8_before_signing()
    {
        var v = Vector("binance-hmac-nonascii");
        var payload = BinanceSigner.Encode([
            new("symbol", "１２３４５６"), new("side", "BUY"), new("type", "LIMIT"), new("timeInForce", "GTC"),
            new("quantity", "1"), new("price", "0.1"), new("recvWindow", "5000"), new("timestamp", "1499827319559")]);
        payload.ShouldBe(v.GetProperty("payload").GetString());
    }

    [Fact]
    public void kraken_api_sign_matches_the_official_example_byte_for_byte()
    {
        var v = Vector("kraken-spot-rest-addorder");
        KrakenSigner.Sign(v.GetProperty("privateKey").GetString()!, v.GetProperty("uriPath").GetString()!,
                v.GetProperty("nonce").GetString()!, v.GetProperty("postData").GetString()!)
            .ShouldBe(v.GetProperty("apiSign").GetString());
    }

    [Fact]
    public void kraken_signature_depends_on_the_path_so_a_base_url_prefix_would_break_it()
    {
        var v = Vector("kraken-spot-rest-addorder");
        KrakenSigner.Sign(v.GetProperty("privateKey").GetString()!, "/kraken" + v.GetProperty("uriPath").GetString(),
                v.GetProperty("nonce").GetString()!, v.GetProperty("postData").GetString()!)
            .ShouldNotBe(v.GetProperty("apiSign").GetString());
    }

    [Fact]
    public void bitfinex_publishes_no_vector_so_its_recipe_is_checked_against_an_independent_computation_and_the_simulator()
    {
        Fixture.Json("signature-vectors.json").GetProperty("not_found").GetProperty("bitfinex_v2").GetString().ShouldNotBeNull();
        const string secret = "bitfinex-test-secret";
        const string body = """{"start":1700000000000,"limit":25}""";
        using var hmac = new System.Security.Cryptography.HMACSHA384(System.Text.Encoding.UTF8.GetBytes(secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes("/api/v2/auth/r/trades/hist1700000000000123" + body)));
        BitfinexSigner.Sign(secret, "/v2/auth/r/trades/hist", "1700000000000123", body).ShouldBe(expected);
        BitfinexSigner.Sign(secret, "v2/auth/r/trades/hist", "1700000000000123", body).ShouldBe(expected);
        Bitcain.ExchangeSimulator.Bitfinex.BitfinexSignature.Verify(secret,
            Bitcain.ExchangeSimulator.Bitfinex.BitfinexSignature.SignedText("/v2/auth/r/trades/hist", "1700000000000123", body), expected).ShouldBeTrue();
        // The path is Bitfinex's own: a base URL prefix signed along would be refused.
        BitfinexSigner.Sign(secret, "/bitfinex/v2/auth/r/trades/hist", "1700000000000123", body).ShouldNotBe(expected);
    }

    /// <summary>RFC 8032 §7.1 TEST 1 and TEST 2 (secret key = the 32-byte seed, as a base64 Coinbase secret).</summary>
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void coinbase_ed25519_signing_matches_rfc_8032_vectors_from_the_seed_or_the_seed_and_public_key(string seed, string publicKey, string message, string signature)
    {
        Fixture.Json("signature-vectors.json").GetProperty("not_found").GetProperty("coinbase_advanced_trade").GetString().ShouldNotBeNull();
        var data = Convert.FromHexString(message);
        using (var key = CoinbaseSigningKey.TryParse(Convert.ToBase64String(Convert.FromHexString(seed))).ShouldNotBeNull())
        {
            key.Algorithm.ShouldBe("EdDSA");
            Convert.ToHexStringLower(key.Sign(data)).ShouldBe(signature);
        }
        using (var key = CoinbaseSigningKey.TryParse(Convert.ToBase64String(Convert.FromHexString(seed + publicKey))).ShouldNotBeNull())
            Convert.ToHexStringLower(key.Sign(data)).ShouldBe(signature);
        // A public half that is not the seed's is refused rather than signed with.
        CoinbaseSigningKey.TryParse(Convert.ToBase64String(Convert.FromHexString(seed + new string('0', 64)))).ShouldBeNull();
    }

    [Fact]
    public void coinbase_es256_signatures_are_64_byte_p1363_that_the_public_key_verifies()
    {
        using var ec = ECDsaOf(Bitcain.ExchangeSimulator.SeededKeys.CoinbaseDemoSecret);
        using var key = CoinbaseSigningKey.TryParse(Bitcain.ExchangeSimulator.SeededKeys.CoinbaseDemoSecret).ShouldNotBeNull();
        key.Algorithm.ShouldBe("ES256");
        var data = System.Text.Encoding.ASCII.GetBytes("header.claims");
        var signature = key.Sign(data);
        signature.Length.ShouldBe(64);
        ec.VerifyData(data, signature, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeTrue();
        CoinbaseSigner.UriClaim("GET", new Uri("https://api.coinbase.com/api/v3/brokerage/accounts?limit=250"))
            .ShouldBe("GET api.coinbase.com/api/v3/brokerage/accounts");
        CoinbaseSigner.UriClaim("GET", new Uri("http://127.0.0.1:5099/coinbase/api/v3/brokerage/accounts"))
            .ShouldBe("GET 127.0.0.1:5099/coinbase/api/v3/brokerage/accounts");
    }

    private static System.Security.Cryptography.ECDsa ECDsaOf(string pem)
    {
        var ec = System.Security.Cryptography.ECDsa.Create();
        ec.ImportFromPem(pem);
        return ec;
    }
}
