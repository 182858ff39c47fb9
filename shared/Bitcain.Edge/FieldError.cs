using System.Text.Json.Serialization;
using Bitcain.Contracts;

namespace Bitcain.Edge;

/// <summary>One entry of a FastAPI / pydantic v2 422 body: <c>{"type","loc","msg","input","ctx"}</c>.</summary>
public sealed record FieldError(
    string Type,
    IReadOnlyList<object> Loc,
    string Msg,
    object? Input,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Ctx = null)
{
    public static FieldError Missing(string where, string name, object? input = null) => Of(PydanticErrors.Missing, [where, name], input);

    public static FieldError TooShort(object[] loc, object? input, int min) => Of(PydanticErrors.TooShort(min), loc, input);

    public static FieldError TooLong(object[] loc, object? input, int max) => Of(PydanticErrors.TooLong(max), loc, input);

    /// <summary>What a pydantic validator's <c>ValueError(message)</c> becomes.</summary>
    public static FieldError ValueError(object[] loc, object? input, string message) => Of(PydanticErrors.ValueError(message), loc, input);

    public static FieldError Literal(object[] loc, object? input, IReadOnlyList<string> allowed) => Of(PydanticErrors.Literal(allowed), loc, input);

    private static FieldError Of(PydanticError error, object[] loc, object? input) => new(error.Type, loc, error.Msg, input, error.Ctx);
}

/// <summary>FastAPI's 422 body: every problem of the request (the entries are <c>ValidationError</c> in the document).</summary>
public sealed record HTTPValidationError(IReadOnlyList<FieldError> Detail);

/// <summary>FastAPI's body of every error but validation: <c>{"detail": "..."}</c>.</summary>
public sealed record ErrorDetail(string Detail);
