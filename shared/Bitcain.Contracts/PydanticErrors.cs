namespace Bitcain.Contracts;

/// <summary>One of pydantic v2's errors without where it was found: its <c>type</c>, <c>msg</c> and <c>ctx</c>.</summary>
internal readonly record struct PydanticError(string Type, string Msg, IReadOnlyDictionary<string, object?>? Ctx = null);

/// <summary>
/// pydantic v2's texts, written once for both who report them: the shared credential rules here (<c>RuleViolation</c>)
/// and the edge's request reading (Bitcain.Edge compiles this file in for its <c>FieldError</c>: an ASP.NET library
/// the contracts cannot reference, and one that must not know the contracts).
/// </summary>
internal static class PydanticErrors
{
    public static readonly PydanticError Missing = new("missing", "Field required");

    public static PydanticError TooShort(int min) =>
        new("string_too_short", $"String should have at least {min} character{(min == 1 ? "" : "s")}", new Dictionary<string, object?> { ["min_length"] = min });

    public static PydanticError TooLong(int max) =>
        new("string_too_long", $"String should have at most {max} character{(max == 1 ? "" : "s")}", new Dictionary<string, object?> { ["max_length"] = max });

    /// <summary>What a pydantic validator's <c>ValueError(message)</c> becomes.</summary>
    public static PydanticError ValueError(string message) =>
        new("value_error", "Value error, " + message, new Dictionary<string, object?> { ["error"] = new { } });

    public static PydanticError Literal(IReadOnlyList<string> allowed) =>
        new("literal_error", "Input should be " + Literals(allowed), new Dictionary<string, object?> { ["expected"] = Literals(allowed) });

    private static string Literals(IReadOnlyList<string> allowed) =>
        allowed.Count == 1 ? $"'{allowed[0]}'"
            : string.Join(", ", allowed.Take(allowed.Count - 1).Select(a => $"'{a}'")) + $" or '{allowed[^1]}'";
}
