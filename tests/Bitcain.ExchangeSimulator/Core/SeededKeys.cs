namespace Bitcain.ExchangeSimulator;

/// <summary>The seeded accounts' keys, fixed so tests, docs and the AppHost can name them. They were derived once
/// from SHA-512 of "bitcain-sim/{exchange}/{name}/{key|secret}" and are only valid against this simulator.
/// Binance keys are 64 alphanumerics like real ones; Kraken secrets are base64 of 64 bytes like real ones.</summary>
public static class SeededKeys
{
    public const string BinanceDemoKey = "E15KVltl9w5gLfRI7mDxxaeVKzwmWZEvJRBeP3kbH8Jq8ghmZXozFTBGwMhPfXOa";
    public const string BinanceDemoSecret = "3WCpDiIr6n1EkILQFlcZ3RQ1SBV4Q75ZSBYupxntNEWFsKPOosfpDqBHXeZrm8sI";
    public const string BinanceReadOnlyKey = "2l8UhkbrfE12pzD8l5gBEYhDU9hSdB3ipB5CGkWmnl4BCFxY6WLiTnPpaZvTmDro";
    public const string BinanceReadOnlySecret = "UyXTwzA6IOvxnIhHo5Rgs2hhs1kglAY85YMiR0ZmcLatuOdPbovmifHzn8qxvgRI";
    public const string BinanceLoadKey = "Eu8RbcKk6UHda4zw0fT1PVzmieLgg4KU98v0gJbccluhjVjpVQzTkwtP29W87hXP";
    public const string BinanceLoadSecret = "vvBHGO2xIrSrZpYMk4DeGG6iZNNme5RS4ajl2kjJrDhshREzPy9wEMbxSKJyGU5y";

    // Issue #14's accounts: histories a symbol-less Binance trade sync must reach beyond what is held today.
    public const string BinanceSoldOutKey = "O3SKNxt4EoECmgoPE59n2c4gkyEDRfIbpmpCrkj76nGEwSg2DfXx5Gceft2YpbzG";
    public const string BinanceSoldOutSecret = "bdBFz4v3WkJWMYZzFiGF7xCEtcGJD5AsLBYgBxIRGNOaHEroq2ASYANPifSLFvPg";
    public const string BinanceWideKey = "sfAQT32uR2rxtmBid04yvAz2lQM3XneJBfhK4BEuCKS772rmFJUXT4DjdP2SwtoU";
    public const string BinanceWideSecret = "LGnRciBcX3At5G6Ck29fpikxJgGAJkvJYUeHBUF9VsVTH0SjlIk2VfkbScejQDtw";
    public const string BinanceLatePairKey = "vT3yeiEsj18KHrvySdm56REyYXulE4mhKLiWrYnwLH9Oa6JYPgBONZtkLOpo1ehK";
    public const string BinanceLatePairSecret = "DtDCpaYHAfA1t3VtCoEjZqSlICpjdSBVFDoMHsrJxgR8cpls5De8Vm7qAkmKe0ol";

    public const string BinanceUsDemoKey = "5nAiCqctlmUDEtREL6UyRSnhnPHRrOqUlqOEWU5QEiSvU41t2SGrC1BJWU8uhzZC";
    public const string BinanceUsDemoSecret = "IgJ9y4UzQT9g4sVwORZGkG92s5Csw6NrkT20wrL5dYtNbCvhf45iMes3Ft6pXRVM";
    public const string BinanceUsReadOnlyKey = "uqQCUONLW4G6SKGBWlK4dFNMkaWOOmJAVtHEEaczq3hcLjrQOx44D5dVNGjaysVI";
    public const string BinanceUsReadOnlySecret = "SAg5OqaBB0bl2xjtdOWfE8oa2KB5E7C3EQ81La5pCHzdXf1l3CCB2V7toc4GO8Uu";
    public const string BinanceUsLoadKey = "umsFyIcMH4ehN15oA7bOKnq1amiXpnuZQntAnBppknB9Jj2yi7mdbKC8dpIJUihn";
    public const string BinanceUsLoadSecret = "1YzzPs1tbbuoZJGSGCyHf7QLvMlWz99YXblO6ljItQrEd0ClssRclL36jsMI06Sl";
    public const string BinanceUsSpentQuoteKey = "h3k1zveNAwk2FbJ9l1K50WRpKgK3sZaGERXIHQoGj5F6Qv7A3QzPvEdtOCPqnhEf";
    public const string BinanceUsSpentQuoteSecret = "SHuMaMlB8NAtP4u3LioduVkAXqWroGeiKSR3TJmM2ySkuL0kiyswvFB3PMF581ni";

    public const string KrakenDemoKey = "at9+fNxeabilUpFoUelA0eKrvXNsZguGcL8XA79SXYpUw3T8S8uXuRmN";
    public const string KrakenDemoSecret = "JnHP60KJD1loK7ga4EmCgeb7Y46VF1kuTvTFV5iKwaPbbMiqXAddIGGSe4pofPysdZyBLioIGE4PY+MPeecGkw==";
    public const string KrakenReadOnlyKey = "IqIFw3XtypsCdtKzfJvUFNSQMV8mLUHLYnCh6lVqHGL47uKyZcKPcYlC";
    public const string KrakenReadOnlySecret = "Xpg0dUmATuChf7Cd2aGi2DqxeUS3yOZMrqndNK7ScuUGzY+0iYDyZUGMi/abpPU2waOZbyCvpejy2zU8oyrZPw==";
    public const string KrakenLoadKey = "6790xKiLhorw+SEq0s8Ubz5UdX9bi9od6ASCoZM6Jv/4TgYE/z6jOIER";
    public const string KrakenLoadSecret = "B6z/Gk1+xdneOuVlvmh8bVQqA9XCU33Z25l5i8pSHkpm1FudEnEMZKgZZeLL0ECDM9U1Cv5UGypTDiyzfpFboA==";
    // Bybit keys are 18 alphanumerics and secrets 36, like the ones Bybit issues for HMAC.
    public const string BybitDemoKey = "hWvtTCqnhXnA3jEptt";
    public const string BybitDemoSecret = "wjcFgs7ZVYnfzKgHdMfizaCgUvwvT0gXighd";
    public const string BybitReadOnlyKey = "NA543soomOpcCEgzQ5";
    public const string BybitReadOnlySecret = "ZE9P1NWFNDYM99vv9cVWbDhH8PWoExcOepnq";
    public const string BybitLoadKey = "Bxy6p8wtG7ZIo2K60i";
    public const string BybitLoadSecret = "QWqJBg0QFJxLpHrE2kbKiRxQslCrrsLWb5GJ";
    // OKX keys are UUIDs, secrets 32 uppercase hex, passphrases chosen by the user when the key is made.
    public const string OkxDemoKey = "bedf4f55-d212-2e8d-a057-a3f32aeb66ee";
    public const string OkxDemoSecret = "12B7662F835D7C39B99C80F70237AD82";
    public const string OkxDemoPassphrase = "FshuSvEvSEcJ!";
    public const string OkxReadOnlyKey = "f7fee8d1-3bb3-2f1d-cc48-ef55e9c4bf8d";
    public const string OkxReadOnlySecret = "B2F419C5634CFE29B941E80029BBB637";
    public const string OkxReadOnlyPassphrase = "CgcEMRnhwi0d!";
    public const string OkxLoadKey = "8cbf8363-82ba-54d7-be03-f9717ba10e72";
    public const string OkxLoadSecret = "CBD42483A20C510D221DA8D95C82FCBA";
    public const string OkxLoadPassphrase = "hnrZH4E3UGmp!";
    // KuCoin keys are 24 hex characters, secrets UUIDs, passphrases the user's own (sent HMAC'd for v2 keys).
    public const string KuCoinDemoKey = "25b35a6092b3291dabb4b748";
    public const string KuCoinDemoSecret = "3b2d4b97-99f6-ec0c-397d-ba9789f5dd35";
    public const string KuCoinDemoPassphrase = "HaqM1rWFmTaD";
    public const string KuCoinReadOnlyKey = "07c09590d5e486b8bb699d57";
    public const string KuCoinReadOnlySecret = "6a612b67-7b7e-ad65-33ad-73e2fba05b1d";
    public const string KuCoinReadOnlyPassphrase = "FhOt6pJu2PvM";
    public const string KuCoinLoadKey = "c65120b511407fdbddddf9a2";
    public const string KuCoinLoadSecret = "16e0565f-475b-e520-4b38-6118a478c3e9";
    public const string KuCoinLoadPassphrase = "2OFHsCLW4B2I";
    // Gate.io keys are 32 hex characters and secrets 64, like the ones Gate issues.
    public const string GateIoDemoKey = "14100aee13ab8a854570f303910971d4";
    public const string GateIoDemoSecret = "398095303cc6677fd46d35a2b47bb49af98cbbba3013506fc5826e1326f4fb2a";
    public const string GateIoReadOnlyKey = "279b2794c3f71e690fd744f362f6a31a";
    public const string GateIoReadOnlySecret = "cf5d8417522bce9b44618ee0d7c56a1f6d242db09cdfd0b1104e3a49bd63608b";
    public const string GateIoLoadKey = "98681d1b2dbb198d0f142ef5abfbcebd";
    public const string GateIoLoadSecret = "c9460a12f91f32da290053734cfa5384ee0bdab54e60301a52556b4122829f02";
    // Bitfinex keys and secrets are 43 alphanumerics, like the ones Bitfinex issues.
    public const string BitfinexDemoKey = "qa5qc0gZAW6oaQtmRHrtBDzGvp5ixXvb1AYefchzg4J";
    public const string BitfinexDemoSecret = "XaWSn9jOWHomCE2qiodafrFaqZZxTDcqltStB5reBMz";
    public const string BitfinexReadOnlyKey = "luhR7BPnpcHs7103cprS8k2ADp5psdJymSfGzf2278l";
    public const string BitfinexReadOnlySecret = "nc1A2KN0sdwtPMwZIH20y7mCA8Soa4DlyKXLx4sZWHK";
    public const string BitfinexLoadKey = "dFVVOs13B7F3z4xDWvecdAUWVSucYsvdjTML21e2uZn";
    public const string BitfinexLoadSecret = "kjBwDxPbgFFbTRJhehBFGe7LfT16rxH5UReg8GOHu5v";
    // Coinbase CDP keys: the key name is organizations/{org}/apiKeys/{id} (UUIDs from the same SHA-512 derivation), the
    // secret a private key made once with openssl: EC P-256 in SEC1 PEM as the CDP portal hands it out (readonly in PKCS#8),
    // and one Ed25519 key as the portal shows it: base64 of the 32-byte seed followed by the 32-byte public key.
    public const string CoinbaseDemoKey = "organizations/d3a4daf9-7b35-7d7a-9131-11ac48732ed3/apiKeys/890937c2-caf2-ddbc-39a7-f720232cdc74";
    public const string CoinbaseDemoSecret = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEID5vR8AOwOrC1bxMTuDY0kLjtcqsRGPOdUEq66pPCqLSoAoGCCqGSM49\nAwEHoUQDQgAETCJvzAIqXcmdsqBUYG5QiNVVdrh/RnzAGZiZ8bovU2u8r71qgCMD\nbAXFb5dYLEEJRyHekadYtN3vxvsMCuHosQ==\n-----END EC PRIVATE KEY-----\n";
    public const string CoinbaseReadOnlyKey = "organizations/315a8170-b5be-2f8b-71fe-cbc4d41803f9/apiKeys/4ea66103-c5c7-ecf3-f4aa-1cbb4b94f9c2";
    public const string CoinbaseReadOnlySecret = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwZEc4VmQ+DTtnLAR\nvJDbfIlqxtJCTfEJE3R0cQ3muFihRANCAAQ/SG7Bl1C5sGG2lwoBmi/9Fzqsty3v\nCO8lG+dLSWvM18hnEvg/D6oTqKXqlFCOuYjmQ4nWisnDyIzOver34Gnt\n-----END PRIVATE KEY-----\n";
    public const string CoinbaseLoadKey = "organizations/3843fe07-4920-896a-f556-53686d353716/apiKeys/f539afa1-fef3-54fb-3abb-b67666b4fc67";
    public const string CoinbaseLoadSecret = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEINFAm59OQJcpmYIAtCtrBLCnlyqrjFxBS03OEnP0AewqoAoGCCqGSM49\nAwEHoUQDQgAESuhjz+E9xrR2r9WTIGdkeCLJ2F7gvw/WYHfAYRa+DEExMqKSltpI\njRtigw3S3uxlolOtLSL6CkUxUKAXJz+4Bw==\n-----END EC PRIVATE KEY-----\n";
    public const string CoinbaseEd25519Key = "organizations/e2000022-0861-5775-bd05-2cf899e41731/apiKeys/0065dfec-d9e0-fa06-47c1-dc8faaa19fdf";
    public const string CoinbaseEd25519Secret = "t1WLwASF0iz+jz5tE+ID9laEz46UAQ/GaUHOm2yhgRXHDvi8HfC97/xlHQin3EiFDcO+yD1qJeYOjmcYeapj/g==";
}
