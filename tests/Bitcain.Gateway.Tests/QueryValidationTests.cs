using Bitcain.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests;

/// <summary>The query half of the FastAPI 422 contract (the body half is covered end to end).</summary>
public sealed class QueryValidationTests
{
    private static readonly ParamSpec[] Specs =
    [
        new("exchange", ParamKind.Exchange, Required: true),
        new("limit", ParamKind.Integer, Default: 100L, Minimum: 1, Maximum: 1000),
        new("force_refresh", ParamKind.Boolean, Default: false),
        new("size", ParamKind.Number, GreaterThan: 0),
        new("start_date", ParamKind.DateTime),
        new("base", ParamKind.String, Required: true, MinLength: 1),
    ];

    private static ParamValues Read(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return ParamValues.Read(context.Request, Specs);
    }

    private static FieldError Single(ParamValues values, string name) =>
        values.Errors.Single(e => (string)e.Loc[1] == name);

    [Fact]
    public void a_missing_required_parameter_is_field_required_with_a_null_input()
    {
        var values = Read("?base=BTC");
        var error = values.Errors.ShouldHaveSingleItem();
        error.Type.ShouldBe("missing");
        error.Msg.ShouldBe("Field required");
        error.Loc.ShouldBe(["query", "exchange"]);
        error.Input.ShouldBeNull();
    }

    [Fact]
    public void defaults_apply_when_a_parameter_is_absent_and_values_parse_when_present()
    {
        var values = Read("?exchange=Binance_US&base=BTC");
        values.IsValid.ShouldBeTrue();
        values.Exchange("exchange")!.Id.ShouldBe("binanceus");
        values.Integer("limit").ShouldBe(100);
        values.Boolean("force_refresh").ShouldBe(false);

        values = Read("?exchange=kraken&base=BTC&limit=5&force_refresh=yes&size=0.5&start_date=2024-01-02");
        values.IsValid.ShouldBeTrue();
        values.Integer("limit").ShouldBe(5);
        values.Boolean("force_refresh").ShouldBe(true);
        values.Number("size").ShouldBe(0.5m);
        values.DateTime("start_date").ShouldBe(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("limit=ten", "limit", "int_parsing", "Input should be a valid integer, unable to parse string as an integer")]
    [InlineData("limit=0", "limit", "greater_than_equal", "Input should be greater than or equal to 1")]
    [InlineData("limit=5000", "limit", "less_than_equal", "Input should be less than or equal to 1000")]
    [InlineData("force_refresh=maybe", "force_refresh", "bool_parsing", "Input should be a valid boolean, unable to interpret input")]
    [InlineData("size=-1", "size", "greater_than", "Input should be greater than 0")]
    [InlineData("size=lots", "size", "decimal_parsing", "Input should be a valid decimal")]
    [InlineData("start_date=yesterday", "start_date", "datetime_from_date_parsing", "Input should be a valid datetime or date, invalid character in year")]
    [InlineData("base=", "base", "string_too_short", "String should have at least 1 character")]
    public void a_wrong_type_or_range_names_the_parameter_and_echoes_the_input(string query, string name, string type, string msg)
    {
        var values = Read(query.StartsWith("base=") ? "?exchange=binance&" + query : "?exchange=binance&base=BTC&" + query);
        var error = Single(values, name);
        error.Type.ShouldBe(type);
        error.Msg.ShouldBe(msg);
        error.Loc.ShouldBe(["query", name]);
        error.Input.ShouldBe(query[(query.IndexOf('=') + 1)..]);
    }

    [Fact]
    public void an_unknown_exchange_is_a_value_error_naming_the_supported_ones()
    {
        var error = Single(Read("?exchange=ftx&base=BTC"), "exchange");
        error.Type.ShouldBe("value_error");
        error.Msg.ShouldStartWith("Value error, unsupported exchange 'ftx'");
        error.Msg.ShouldContain("gate_io");
    }

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("10.0.0.0/24", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3.4/", false)]
    [InlineData("localhost", false)]
    [InlineData("", false)]
    public void whitelist_entries_must_be_addresses_or_cidr_ranges(string entry, bool valid) =>
        BodyValues.IsAddressOrRange(entry).ShouldBe(valid);

    [Theory]
    [InlineData("abcd1234efgh5678", "abcd********5678")]
    [InlineData("12345678", "********")]
    [InlineData("123456789", "1234*6789")]
    public void api_keys_are_masked_to_their_first_and_last_four(string key, string masked) =>
        Bitcain.Gateway.Api.ApiKeyMask.Of(key).ShouldBe(masked);
}
