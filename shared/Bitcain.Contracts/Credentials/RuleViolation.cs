namespace Bitcain.Contracts.Credentials;

/// <summary>
/// One refused field in the FastAPI / pydantic v2 shape (<c>{"type","loc","msg","input","ctx"}</c>): what the gateway
/// answers in a 422 and what a service replies when a command from the bus breaks the same rule. The messages are
/// built here only, so both read the same. A service leaves <see cref="Input"/> null for secret fields: a refusal
/// must not carry the secret back over the bus in clear.
/// </summary>
public sealed record RuleViolation(
    string Type,
    IReadOnlyList<object> Loc,
    string Msg,
    object? Input,
    IReadOnlyDictionary<string, object?>? Ctx = null)
{
    public static RuleViolation Missing(object[] loc, object? input = null) => new("missing", loc, "Field required", input);

    public static RuleViolation TooShort(object[] loc, object? input, int min) =>
        new("string_too_short", loc, $"String should have at least {min} character{(min == 1 ? "" : "s")}", input,
            new Dictionary<string, object?> { ["min_length"] = min });

    public static RuleViolation TooLong(object[] loc, object? input, int max) =>
        new("string_too_long", loc, $"String should have at most {max} character{(max == 1 ? "" : "s")}", input,
            new Dictionary<string, object?> { ["max_length"] = max });

    public static RuleViolation ValueError(object[] loc, object? input, string message) =>
        new("value_error", loc, "Value error, " + message, input, new Dictionary<string, object?> { ["error"] = new { } });

    public static RuleViolation Literal(object[] loc, object? input, IReadOnlyList<string> allowed) =>
        new("literal_error", loc, "Input should be " + JoinLiterals(allowed), input,
            new Dictionary<string, object?> { ["expected"] = JoinLiterals(allowed) });

    private static string JoinLiterals(IReadOnlyList<string> allowed) =>
        allowed.Count == 1 ? $"'{allowed[0]}'"
            : string.Join(", ", allowed.Take(allowed.Count - 1).Select(a => $"'{a}'")) + $" or '{allowed[^1]}'";
}
