using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Bitcain.Edge.Tests;

/// <summary>A paint shop's own vocabulary: what an application brings to the edge through its extension points.</summary>
public sealed record Paint(string Name, string Hex);

/// <summary>A paint by name, any case: a parameter gets the paint, a body field its canonical name.</summary>
public sealed class PaintName : IValueRule<Paint>, IValueRule<string>
{
    private static readonly Paint[] Known = [new("red", "#ff0000"), new("green", "#00ff00"), new("blue", "#0000ff")];

    public IReadOnlyList<string>? Examples { get; } = Known.Select(p => p.Name).ToList();

    public bool TryRead(string raw, [MaybeNullWhen(false)] out Paint value, out string message)
    {
        value = Known.FirstOrDefault(p => p.Name.Equals(raw.Trim(), StringComparison.OrdinalIgnoreCase));
        message = value is null ? $"unknown paint '{raw}'; known: red, green, blue" : "";
        return value is not null;
    }

    public bool TryRead(string raw, [MaybeNullWhen(false)] out string value, out string message)
    {
        value = TryRead(raw, out Paint? paint, out message) ? paint.Name : null;
        return value is not null;
    }
}

/// <summary>A hex colour like <c>#a0b1c2</c>, kept lower-case.</summary>
public sealed class HexColour : IValueRule<string>
{
    public bool TryRead(string raw, [MaybeNullWhen(false)] out string value, out string message)
    {
        var ok = raw.Length == 7 && raw[0] == '#' && raw[1..].All(char.IsAsciiHexDigit);
        value = ok ? raw.ToLowerInvariant() : null;
        message = ok ? "" : $"'{raw}' is not a colour like #a0b1c2";
        return ok;
    }
}

public sealed record PaintQuery : EdgeQuery<PaintQuery>
{
    [JsonPropertyName("paint"), Required, ValueRule(typeof(PaintName)), Description("The paint")]
    public Paint Paint { get; init; } = null!;

    [JsonPropertyName("coats"), DefaultValue(1), Range(1, 5)]
    public int Coats { get; init; } = 1;

    [JsonPropertyName("from")] public DateTimeOffset? From { get; init; }
    [JsonPropertyName("to")] public DateTimeOffset? To { get; init; }

    /// <summary>A rule across two parameters, reported after the parameters' own, as a pydantic model validator is.</summary>
    protected override ParamValues Read(HttpContext context)
    {
        var values = base.Read(context);
        if (values.DateTime("from") is { } from && values.DateTime("to") is { } to && to < from)
            values.Errors.Add(new FieldError("value_error", ["query", "to"], "Value error, to is before from", context.Request.Query["to"][^1],
                new Dictionary<string, object?> { ["error"] = new { } }));
        return values;
    }
}

public sealed record PaintOrder : EdgeBody<PaintOrder>
{
    [JsonPropertyName("paint"), Required, ValueRule(typeof(PaintName))]
    public string Paint { get; init; } = "";

    [JsonPropertyName("accents"), ValueRule(typeof(HexColour))]
    public IReadOnlyList<string>? Accents { get; init; }

    [JsonPropertyName("finish"), Literals("matt", "gloss")]
    public IReadOnlyList<string>? Finish { get; init; }

    [JsonPropertyName("card_number"), Secret, Required, MinLength(12), MaxLength(19)]
    public string CardNumber { get; init; } = "";

    [JsonPropertyName("note"), MaxLength(20)]
    public string? Note { get; init; }

    [JsonPropertyName("extras")]
    public JsonElement? Extras { get; init; }

    /// <summary>A bound the fields' own rules do not say: at most three extras.</summary>
    protected override void Check(BodyValues body)
    {
        if (body.Object("extras") is { } extras && extras.EnumerateObject().Count() > 3)
            body.Add(FieldError.ValueError(["body", "extras"], extras, "at most 3 extras"));
    }
}
