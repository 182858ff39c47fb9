using System.Text;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Bitcain.Edge.Tests;

/// <summary>Text that is not Unicode, secrets in 422 bodies, and FastAPI's choice of which bodies are JSON.</summary>
public sealed class BodyRulesTests
{
    static BodyRulesTests() => _ = PaintOrder.Spec; // declares card_number secret

    [Theory]
    [InlineData("{\"credential_name\":\"\\ud800\"}", "string_unicode", "body,credential_name")]
    [InlineData("{\"credential_name\":\"a\\udc00b\"}", "string_unicode", "body,credential_name")]
    [InlineData("{\"exchange_metadata\":{\"k\":[\"ok\",\"\\udfff\"]}}", "string_unicode", "body,exchange_metadata,k,1")]
    [InlineData("{\"credential_name\":\"a\\u0000b\"}", "value_error", "body,credential_name")]
    [InlineData("{\"exchange_metadata\":{\"\\ud800\":1}}", "string_unicode", "body,exchange_metadata")]
    public void a_body_string_that_is_not_unicode_or_holds_nul_is_found_where_it_is(string json, string type, string loc)
    {
        using var document = JsonDocument.Parse(json);
        var error = RequestText.FindInBody(document.RootElement).ShouldNotBeNull();
        error.Type.ShouldBe(type);
        string.Join(',', error.Loc).ShouldBe(loc);
        error.Input.ShouldBeNull();
    }

    [Fact]
    public void raw_bytes_that_are_not_utf8_inside_a_string_are_found_too()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"api_key\":\"ab\"}");
        bytes[13] = 0xFF;
        using var document = JsonDocument.Parse(bytes);
        RequestText.FindInBody(document.RootElement)!.Type.ShouldBe("string_unicode");
    }

    [Fact]
    public void zero_width_rtl_and_astral_characters_are_ordinary_text()
    {
        using var document = JsonDocument.Parse("{\"credential_name\":\"\\u200b\\u202e\\ud83d\\udca9e\\u0301\"}");
        RequestText.FindInBody(document.RootElement).ShouldBeNull();
    }

    [Fact]
    public void the_secret_names_are_the_wire_names_of_the_records_secret_properties() =>
        SecretInputs.Names.ShouldContain("card_number");

    [Fact]
    public void an_error_on_a_secret_field_never_echoes_its_value()
    {
        var redacted = SecretInputs.Redact(FieldError.TooShort(["body", "card_number"], "4111", 12));
        redacted.Input.ShouldBe(SecretInputs.Mask);
        redacted.Ctx!["min_length"].ShouldBe(12);
    }

    [Fact]
    public void a_model_level_error_echoes_the_body_with_secret_values_masked_at_any_depth()
    {
        using var document = JsonDocument.Parse("""{"paint":"red","card_number":"4111111111111111","nested":{"card_number":"x"},"other":null}""");
        var redacted = SecretInputs.Redact(new FieldError("missing", ["body", "card_number"], "Field required", document.RootElement.Clone()));
        var text = JsonSerializer.Serialize(redacted.Input);
        text.ShouldNotContain("4111111111111111");
        text.ShouldContain("\"paint\":\"red\"");
        text.ShouldContain("\"card_number\":\"**********\"");
        text.ShouldNotContain("\"x\"");
        text.ShouldContain("\"other\":null");
    }

    [Fact]
    public void a_body_that_is_a_bare_string_or_list_is_masked_whole_but_other_inputs_stay()
    {
        using var text = JsonDocument.Parse("\"4111111111111111\"");
        SecretInputs.Redact(new FieldError("model_attributes_type", ["body"], "m", text.RootElement.Clone())).Input.ShouldBe(SecretInputs.Mask);
        SecretInputs.Redact(new FieldError("model_attributes_type", ["body"], "m", "raw form body")).Input.ShouldBe(SecretInputs.Mask);
        SecretInputs.Redact(new FieldError("int_parsing", ["query", "limit"], "m", "ten")).Input.ShouldBe("ten");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/Problem+JSON", true)]
    [InlineData("text/plain", false)]
    [InlineData("text/json", false)]
    [InlineData("multipart/form-data; boundary=x", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    public void only_a_json_content_type_or_none_is_read_as_json_as_in_fastapi(string? type, bool json) =>
        BodyValues.IsJson(type).ShouldBe(json);
}
