using System.Text.Json.Serialization;

namespace Bitcain.Edge;

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

    public static FieldError TooShort(object[] loc, object? input, int min) =>
        new("string_too_short", loc, $"String should have at least {min} character{(min == 1 ? "" : "s")}", input,
            new Dictionary<string, object?> { ["min_length"] = min });

    public static FieldError TooLong(object[] loc, object? input, int max) =>
        new("string_too_long", loc, $"String should have at most {max} character{(max == 1 ? "" : "s")}", input,
            new Dictionary<string, object?> { ["max_length"] = max });

    /// <summary>What a pydantic validator's <c>ValueError(message)</c> becomes.</summary>
    public static FieldError ValueError(object[] loc, object? input, string message) =>
        new("value_error", loc, "Value error, " + message, input, new Dictionary<string, object?> { ["error"] = new { } });

    public static FieldError Literal(object[] loc, object? input, IReadOnlyList<string> allowed) =>
        new("literal_error", loc, "Input should be " + Literals(allowed), input,
            new Dictionary<string, object?> { ["expected"] = Literals(allowed) });

    private static string Literals(IReadOnlyList<string> allowed) =>
        allowed.Count == 1 ? $"'{allowed[0]}'"
            : string.Join(", ", allowed.Take(allowed.Count - 1).Select(a => $"'{a}'")) + $" or '{allowed[^1]}'";
}

/// <summary>FastAPI's 422 body: every problem of the request (the entries are <c>ValidationError</c> in the document).</summary>
public sealed record HTTPValidationError(IReadOnlyList<FieldError> Detail);

/// <summary>FastAPI's body of every error but validation: <c>{"detail": "..."}</c>.</summary>
public sealed record ErrorDetail(string Detail);
