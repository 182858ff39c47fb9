using System.Text.Json.Serialization;

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

    public static FieldError TooShort(object[] loc, string value, int min) =>
        new("string_too_short", loc, $"String should have at least {min} character{(min == 1 ? "" : "s")}", value,
            new Dictionary<string, object?> { ["min_length"] = min });

    public static FieldError TooLong(object[] loc, string value, int max) =>
        new("string_too_long", loc, $"String should have at most {max} character{(max == 1 ? "" : "s")}", value,
            new Dictionary<string, object?> { ["max_length"] = max });

    public static FieldError ValueError(object[] loc, object? input, string message) =>
        new("value_error", loc, "Value error, " + message, input, new Dictionary<string, object?> { ["error"] = new { } });
}
