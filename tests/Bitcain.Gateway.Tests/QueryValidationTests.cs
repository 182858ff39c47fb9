using Bitcain.Edge;
using Bitcain.Exchanges;
using Bitcain.Gateway.Api;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests;

/// <summary>The gateway's own value rules on the edge (the rules of reading itself are Bitcain.Edge.Tests').</summary>
public sealed class QueryValidationTests
{
    private static ParamValues Read(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return ParamValues.Read(context.Request, TickerQuery.Specs);
    }

    [Fact]
    public void an_exchange_parameter_is_read_by_any_alias_into_its_descriptor()
    {
        var values = Read("?exchange=Binance_US&symbol=BTCUSDT");
        values.IsValid.ShouldBeTrue();
        values.Value("exchange").ShouldBeOfType<ExchangeDescriptor>().Id.ShouldBe("binanceus");
    }

    [Fact]
    public void an_unknown_exchange_is_a_value_error_naming_the_supported_ones()
    {
        var error = Read("?exchange=ftx&symbol=BTCUSDT").Errors.ShouldHaveSingleItem();
        error.Type.ShouldBe("value_error");
        error.Loc.ShouldBe(["query", "exchange"]);
        error.Msg.ShouldStartWith("Value error, unsupported exchange 'ftx'");
        error.Msg.ShouldContain("gate_io");
        error.Input.ShouldBe("ftx");
    }

    [Fact]
    public void a_body_exchange_field_holds_the_exchange_id()
    {
        new ExchangeName().TryRead("Binance_US", out string? id, out _).ShouldBeTrue();
        id.ShouldBe("binanceus");
    }

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("10.0.0.0/24", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData(" 1.2.3.4 ", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3.4/", false)]
    [InlineData("localhost", false)]
    [InlineData("", false)]
    public void whitelist_entries_must_be_addresses_or_cidr_ranges(string entry, bool valid)
    {
        new AddressOrRange().TryRead(entry, out var kept, out var message).ShouldBe(valid);
        if (valid) kept.ShouldBe(entry.Trim());
        else message.ShouldBe($"'{entry}' is not a valid IPv4/IPv6 address or CIDR range");
    }

    [Theory]
    [InlineData("abcd1234efgh5678", "abcd********5678")]
    [InlineData("12345678", "********")]
    [InlineData("123456789", "1234*6789")]
    public void api_keys_are_masked_to_their_first_and_last_four(string key, string masked) =>
        ApiKeyMask.Of(key).ShouldBe(masked);
}
