namespace Bitcain.Contracts.Credentials;

/// <summary>
/// One refused field in the FastAPI / pydantic v2 shape (<c>{"type","loc","msg","input","ctx"}</c>): what the gateway
/// answers in a 422 and what a service replies when a command from the bus breaks the same rule. The texts come from
/// <see cref="PydanticErrors"/>, as the edge's do, so both read the same. A service leaves <see cref="Input"/> null for
/// secret fields: a refusal must not carry the secret back over the bus in clear.
/// </summary>
public sealed record RuleViolation(
    string Type,
    IReadOnlyList<object> Loc,
    string Msg,
    object? Input,
    IReadOnlyDictionary<string, object?>? Ctx = null)
{
    public static RuleViolation Missing(object[] loc, object? input = null) => Of(PydanticErrors.Missing, loc, input);

    public static RuleViolation TooShort(object[] loc, object? input, int min) => Of(PydanticErrors.TooShort(min), loc, input);

    public static RuleViolation TooLong(object[] loc, object? input, int max) => Of(PydanticErrors.TooLong(max), loc, input);

    public static RuleViolation ValueError(object[] loc, object? input, string message) => Of(PydanticErrors.ValueError(message), loc, input);

    public static RuleViolation Literal(object[] loc, object? input, IReadOnlyList<string> allowed) => Of(PydanticErrors.Literal(allowed), loc, input);

    private static RuleViolation Of(PydanticError error, object[] loc, object? input) => new(error.Type, loc, error.Msg, input, error.Ctx);
}
