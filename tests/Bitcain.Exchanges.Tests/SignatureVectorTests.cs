using Bitcain.Exchanges.Binance;
using Bitcain.Exchanges.Bitfinex;
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
}
