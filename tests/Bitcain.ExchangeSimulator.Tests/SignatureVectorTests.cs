using Bitcain.ExchangeSimulator.Binance;
using Bitcain.ExchangeSimulator.Kraken;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>The official worked examples (shared/exchanges/fixtures/signature-vectors.json) pass the simulator's
/// verifiers, so what it accepts is what the exchanges accept.</summary>
public sealed class SignatureVectorTests
{
    private const string BinanceSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    [Fact]
    public void the_official_binance_ascii_vector_verifies()
    {
        const string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        const string signature = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
        var payload = BinanceSignature.PayloadOf(query + "&signature=" + signature, "");
        payload.ShouldBe(query);
        BinanceSignature.SignatureOf(query + "&signature=" + signature, "").ShouldBe(signature);
        BinanceSignature.Verify(BinanceSecret, payload, signature).ShouldBeTrue();
        BinanceSignature.Verify(BinanceSecret, payload, signature.ToUpperInvariant()).ShouldBeTrue("HMAC signatures are case-insensitive");
    }

    [Fact]
    public void the_official_binance_percent_encoded_vector_verifies()
    {
        const string payload = "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        BinanceSignature.Verify(BinanceSecret, payload, "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3").ShouldBeTrue();
    }

    [Fact]
    public void the_official_binance_query_plus_body_vector_is_signed_without_a_separator()
    {
        const string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC";
        const string body = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        const string signature = "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77";
        var payload = BinanceSignature.PayloadOf(query, body + "&signature=" + signature);
        payload.ShouldBe(query + body);
        BinanceSignature.Verify(BinanceSecret, payload, signature).ShouldBeTrue();
    }

    [Fact]
    public void a_tampered_binance_payload_fails()
    {
        const string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=2&price=0.1&recvWindow=5000&timestamp=1499827319559";
        BinanceSignature.Verify(BinanceSecret, query, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71").ShouldBeFalse();
    }

    [Fact]
    public void the_official_kraken_vector_verifies()
    {
        const string secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
        const string postData = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
        const string expected = "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";
        KrakenSignature.Compute(secret, "/0/private/AddOrder", "1616492376594", postData).ShouldBe(expected);
        KrakenSignature.Verify(secret, "/0/private/AddOrder", "1616492376594", postData, expected).ShouldBeTrue();
        KrakenSignature.Verify(secret, "/0/private/Balance", "1616492376594", postData, expected).ShouldBeFalse("the path is signed");
        Signing.KrakenSign(secret, "/0/private/AddOrder", "1616492376594", postData).ShouldBe(expected);
    }
}
