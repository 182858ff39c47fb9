using System.Text.Json.Serialization;
using Bitcain.Contracts.Credentials;

namespace Bitcain.Gateway.Http;

/// <summary>One entry of a FastAPI / pydantic v2 422 body: <c>{"type","loc","msg","input","ctx"}</c>.</summary>
public sealed record FieldError(
    string Type,
    IReadOnlyList<object> Loc,
    string Msg,
    object? Input,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Ctx = null)
{
    public static FieldError Missing(string where, string name, object? input = null) =>
        new("missing", [where, name], "Field required", input);

    // The messages are the shared credential rules' (Bitcain.Contracts), so a service refusing a bus command says the same.
    public static FieldError From(RuleViolation v) => new(v.Type, v.Loc, v.Msg, v.Input, v.Ctx);

    public static FieldError TooShort(object[] loc, string value, int min) => From(RuleViolation.TooShort(loc, value, min));

    public static FieldError TooLong(object[] loc, string value, int max) => From(RuleViolation.TooLong(loc, value, max));

    public static FieldError ValueError(object[] loc, object? input, string message) => From(RuleViolation.ValueError(loc, input, message));
}
