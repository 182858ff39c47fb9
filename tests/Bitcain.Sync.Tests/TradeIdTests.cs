using System.Security.Cryptography;
using System.Text;
using Bitcain.Sync.SyncingTrades;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>A trade's id is derived from its key and exposed by the API: the same trade must keep the id it was stored
/// with, whichever code path derives it.</summary>
public sealed class TradeIdTests
{
    /// <summary>The derivation as first written (and as stored for every trade so far): SHA-256 of the key's text, as a
    /// version-5-shaped uuid.</summary>
    private static Guid AsStored(Guid credentialId, string exchangeSymbol, string exchangeTradeId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{credentialId:N}|{exchangeSymbol}|{exchangeTradeId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    [Theory]
    [InlineData("BTCUSDT", "1")]
    [InlineData("BTCUSDT", "28457")]
    [InlineData("XBT/USDT", "TXID-ABCDEF-123456")]
    [InlineData("tBTCUSD", "")]
    [InlineData("ÄÖÜ€", "ünïcødé-1")]
    public void Same_id_as_stored_before(string exchangeSymbol, string exchangeTradeId)
    {
        var credential = Guid.Parse("0193a5b2-7c4e-7d1a-9f3e-2b8c4d6e8f01");
        TradeTable.TradeId(credential, exchangeSymbol, exchangeTradeId).ShouldBe(AsStored(credential, exchangeSymbol, exchangeTradeId));
    }

    [Fact]
    public void A_key_longer_than_the_stack_buffer_gets_the_same_id()
    {
        var credential = Guid.NewGuid();
        var longId = new string('7', 300);
        TradeTable.TradeId(credential, "BTCUSDT", longId).ShouldBe(AsStored(credential, "BTCUSDT", longId));
    }
}
