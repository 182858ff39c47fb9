using System.Net;
using Shouldly;
using Xunit;

namespace Bitcain.Edge.Tests;

/// <summary>An application's value rules, secrets and cross-field hooks, through real requests: the exact 422 bodies.</summary>
public sealed class ExtensionPointTests(EdgeHost host) : IClassFixture<EdgeHost>
{
    [Fact]
    public async Task a_value_rule_on_a_query_parameter_hands_the_endpoint_what_it_read()
    {
        var (status, body) = await host.GetAsync("/shop/paint?paint=GREEN&coats=2");
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldBe("""{"paint":"#00ff00","coats":2}""");
    }

    [Fact]
    public async Task a_value_rule_refusing_a_query_parameter_is_a_value_error_with_its_message_beside_the_other_problems()
    {
        var (status, body) = await host.GetAsync("/shop/paint?paint=mauve&coats=9");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[""" +
                      """{"type":"value_error","loc":["query","paint"],"msg":"Value error, unknown paint 'mauve'; known: red, green, blue","input":"mauve","ctx":{"error":{}}},""" +
                      """{"type":"less_than_equal","loc":["query","coats"],"msg":"Input should be less than or equal to 5","input":"9","ctx":{"le":5}}]}""");
    }

    [Fact]
    public async Task a_cross_field_read_hook_adds_its_problem_after_the_parameters_own()
    {
        var (status, body) = await host.GetAsync("/shop/paint?paint=red&from=2026-02-01&to=2026-01-01");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[{"type":"value_error","loc":["query","to"],"msg":"Value error, to is before from","input":"2026-01-01","ctx":{"error":{}}}]}""");
    }

    [Fact]
    public async Task a_value_rule_on_a_body_field_and_on_each_list_item_fills_the_record_with_what_it_read()
    {
        var (status, body) = await host.PostAsync("/shop/orders",
            """{"paint":"Blue","accents":["#A0B1C2","#000000"],"finish":[" Gloss","matt","gloss"],"card_number":"4111111111111111"}""");
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldBe("""{"paint":"blue","accents":["#a0b1c2","#000000"],"finish":["gloss","matt"],"card":16}""");
    }

    [Fact]
    public async Task a_value_rule_refusing_a_body_field_or_a_list_item_names_it_and_every_other_problem_in_field_order()
    {
        var (status, body) = await host.PostAsync("/shop/orders",
            """{"paint":"mauve","accents":["#a0b1c2","teal",7],"finish":["satin"],"card_number":"4111111111111111","note":"a note longer than twenty"}""");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[""" +
                      """{"type":"value_error","loc":["body","paint"],"msg":"Value error, unknown paint 'mauve'; known: red, green, blue","input":"mauve","ctx":{"error":{}}},""" +
                      """{"type":"value_error","loc":["body","accents",1],"msg":"Value error, 'teal' is not a colour like #a0b1c2","input":"teal","ctx":{"error":{}}},""" +
                      """{"type":"string_type","loc":["body","accents",2],"msg":"Input should be a valid string","input":7},""" +
                      """{"type":"literal_error","loc":["body","finish",0],"msg":"Input should be 'matt' or 'gloss'","input":"satin","ctx":{"expected":"'matt' or 'gloss'"}},""" +
                      """{"type":"string_too_long","loc":["body","note"],"msg":"String should have at most 20 characters","input":"a note longer than twenty","ctx":{"max_length":20}}]}""");
    }

    [Fact]
    public async Task an_error_on_a_secret_field_never_echoes_its_value()
    {
        var (status, body) = await host.PostAsync("/shop/orders", """{"paint":"red","card_number":"4111"}""");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[{"type":"string_too_short","loc":["body","card_number"],"msg":"String should have at least 12 characters","input":"**********","ctx":{"min_length":12}}]}""");
    }

    [Fact]
    public async Task a_missing_field_echoes_the_body_with_the_secret_masked_and_the_rest_as_sent()
    {
        var (status, body) = await host.PostAsync("/shop/orders", """{"card_number":"4111111111111111","note":"hi"}""");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[{"type":"missing","loc":["body","paint"],"msg":"Field required","input":{"card_number":"**********","note":"hi"}}]}""");
        body.ShouldNotContain("4111111111111111");
    }

    [Fact]
    public async Task a_body_that_is_no_object_is_masked_whole_since_it_cannot_say_which_value_is_secret()
    {
        var (status, body) = await host.PostAsync("/shop/orders", "card_number=4111111111111111", "application/x-www-form-urlencoded");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"**********"}]}""");
    }

    [Fact]
    public async Task a_body_check_hook_adds_its_problem_to_the_fields_own()
    {
        var (status, body) = await host.PostAsync("/shop/orders", """{"paint":"red","card_number":"4111111111111111","extras":{"a":1,"b":2,"c":3,"d":4}}""");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[{"type":"value_error","loc":["body","extras"],"msg":"Value error, at most 3 extras","input":{"a":1,"b":2,"c":3,"d":4},"ctx":{"error":{}}}]}""");
    }

    [Fact]
    public async Task malformed_json_is_a_json_invalid_entry_at_its_position()
    {
        var (status, body) = await host.PostAsync("/shop/orders", """{"paint": }""");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldStartWith("""{"detail":[{"type":"json_invalid","loc":["body",10],"msg":"JSON decode error","input":{},"ctx":{"error":""");
    }

    [Fact]
    public async Task text_that_is_not_unicode_in_the_query_is_refused_before_anything_else()
    {
        var (status, body) = await host.GetAsync("/shop/paint?paint=%ff&coats=9");
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        body.ShouldBe("""{"detail":[{"type":"string_unicode","loc":["query","paint"],"msg":"Input should be a valid string, unable to parse raw data as a unicode string","input":null}]}""");
    }

    [Fact]
    public async Task a_body_over_the_configured_limit_is_never_read_whole()
    {
        var (status, body) = await host.PostAsync("/shop/orders", "{\"note\":\"" + new string('x', (int)EdgeHost.BodyLimit) + "\"}");
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        body.ShouldBe($"limit {EdgeHost.BodyLimit}");
    }
}
