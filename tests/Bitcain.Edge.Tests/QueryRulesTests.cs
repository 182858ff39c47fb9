using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Xunit;

namespace Bitcain.Edge.Tests;

/// <summary>The query half of FastAPI's 422: each parameter's type and bounds, read from the record's declaration.</summary>
public sealed class QueryRulesTests
{
    private sealed record Listing : EdgeQuery<Listing>
    {
        [JsonPropertyName("paint"), Required, ValueRule(typeof(PaintName))] public Paint Paint { get; init; } = null!;
        [JsonPropertyName("limit"), DefaultValue(100), Range(1, 1000)] public int Limit { get; init; } = 100;
        [JsonPropertyName("offset"), DefaultValue(0), Range(0, 100_000)] public int Offset { get; init; }
        [JsonPropertyName("force_refresh"), DefaultValue(false)] public bool ForceRefresh { get; init; }

        [JsonPropertyName("size"), Range(typeof(decimal), "0", "1000000000000000", MinimumIsExclusive = true)]
        public decimal? Size { get; init; }

        [JsonPropertyName("start_date")] public DateTimeOffset? StartDate { get; init; }
        [JsonPropertyName("base"), Required, MinLength(1)] public string Base { get; init; } = "";
    }

    private static ParamValues Read(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return ParamValues.Read(context.Request, Listing.Specs);
    }

    private static FieldError Single(ParamValues values, string name) =>
        values.Errors.Single(e => (string)e.Loc[1] == name);

    [Fact]
    public void a_missing_required_parameter_is_field_required_with_a_null_input()
    {
        var error = Read("?base=BTC").Errors.ShouldHaveSingleItem();
        error.Type.ShouldBe("missing");
        error.Msg.ShouldBe("Field required");
        error.Loc.ShouldBe(["query", "paint"]);
        error.Input.ShouldBeNull();
    }

    [Fact]
    public void defaults_apply_when_a_parameter_is_absent_and_values_parse_when_present()
    {
        var values = Read("?paint=Red&base=BTC");
        values.IsValid.ShouldBeTrue();
        values.Value("paint").ShouldBe(new Paint("red", "#ff0000"));
        values.Integer("limit").ShouldBe(100);
        values.Boolean("force_refresh").ShouldBe(false);

        values = Read("?paint=blue&base=BTC&limit=5&force_refresh=yes&size=0.5&start_date=2024-01-02");
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
    [InlineData("paint=mauve", "paint", "value_error", "Value error, unknown paint 'mauve'; known: red, green, blue")]
    public void a_wrong_type_or_range_names_the_parameter_and_echoes_the_input(string query, string name, string type, string msg)
    {
        var values = Read(query.StartsWith("base=") ? "?paint=red&" + query : "?paint=red&base=BTC&" + query);
        var error = Single(values, name);
        error.Type.ShouldBe(type);
        error.Msg.ShouldBe(msg);
        error.Loc.ShouldBe(["query", name]);
        error.Input.ShouldBe(query[(query.IndexOf('=') + 1)..]);
    }

    [Theory]
    [InlineData("offset=100001", "less_than_equal")]
    [InlineData("offset=2147483648", "less_than_equal")]
    [InlineData("offset=9223372036854775807", "less_than_equal")]
    [InlineData("offset=9223372036854775808", "int_parsing")]
    [InlineData("offset=-1", "greater_than_equal")]
    [InlineData("offset=1e309", "int_parsing")]
    [InlineData("offset=NaN", "int_parsing")]
    [InlineData("limit=1001", "less_than_equal")]
    [InlineData("size=1000000000000000.01", "less_than_equal")]
    [InlineData("size=1e309", "decimal_parsing")]
    [InlineData("size=NaN", "decimal_parsing")]
    public void a_number_past_its_bound_or_past_any_integer_is_a_422_naming_it(string query, string type)
    {
        var error = Read("?paint=red&base=BTC&" + query).Errors.ShouldHaveSingleItem();
        error.Type.ShouldBe(type);
        error.Loc.ShouldBe(["query", query[..query.IndexOf('=')]]);
    }

    [Fact]
    public void the_bounds_themselves_are_served()
    {
        var values = Read("?paint=red&base=BTC&limit=1000&offset=100000&size=1000000000000000");
        values.IsValid.ShouldBeTrue();
        values.Integer("offset").ShouldBe(100_000);
    }

    [Fact]
    public void an_over_the_bound_error_says_the_bound_as_pydantic_does()
    {
        var error = Read("?paint=red&base=BTC&offset=100001").Errors.Single();
        error.Msg.ShouldBe("Input should be less than or equal to 100000");
        error.Ctx!["le"].ShouldBe(100_000L);
        error.Input.ShouldBe("100001");
    }

    [Fact]
    public void a_repeated_parameter_is_read_from_its_last_value_as_in_fastapi() =>
        Read("?paint=red&base=BTC&limit=0&limit=7").Integer("limit").ShouldBe(7);

    [Fact]
    public void problems_are_reported_in_the_order_the_record_declares_its_parameters()
    {
        var values = Read("?base=&limit=0&paint=mauve");
        values.Errors.Select(e => (string)e.Loc[1]).ShouldBe(["paint", "limit", "base"]);
    }

    [Fact]
    public void a_rule_that_cannot_read_the_property_type_is_a_declaration_error_found_when_the_spec_is_built()
    {
        Should.Throw<InvalidOperationException>(() => WrongRule.Specs).Message.ShouldContain("IValueRule<Int32>");
    }

    private sealed record WrongRule : EdgeQuery<WrongRule>
    {
        [JsonPropertyName("n"), ValueRule(typeof(HexColour))] public int N { get; init; }
    }
}
