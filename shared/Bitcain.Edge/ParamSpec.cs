using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Bitcain.Edge;

public enum ParamKind
{
    String,
    Integer,
    Number,
    Boolean,
    DateTime,
}

/// <summary>
/// One query parameter. The same spec validates requests and describes the parameter in
/// <c>/openapi.json</c>, so the documentation cannot drift from what is accepted. A string parameter with a
/// <see cref="Rule"/> holds what the rule read from it.
/// </summary>
public sealed record ParamSpec(
    string Name,
    ParamKind Kind,
    bool Required = false,
    object? Default = null,
    int? MinLength = null,
    int? MaxLength = null,
    decimal? GreaterThan = null,
    long? Minimum = null,
    long? Maximum = null,
    string? Description = null,
    decimal? NumberMaximum = null,
    ValueReader? Rule = null);

/// <summary>The typed values of a request's query parameters, or the 422 entries explaining why not.</summary>
public sealed class ParamValues
{
    private readonly Dictionary<string, object?> _values = new();
    public List<FieldError> Errors { get; } = [];
    public bool IsValid => Errors.Count == 0;

    public string? String(string name) => _values.GetValueOrDefault(name) as string;
    public long? Integer(string name) => _values.GetValueOrDefault(name) as long?;
    public decimal? Number(string name) => _values.GetValueOrDefault(name) as decimal?;
    public bool? Boolean(string name) => _values.GetValueOrDefault(name) as bool?;
    public DateTimeOffset? DateTime(string name) => _values.GetValueOrDefault(name) as DateTimeOffset?;
    /// <summary>The typed value of a parameter, such as what its value rule read.</summary>
    public object? Value(string name) => _values.GetValueOrDefault(name);

    public static ParamValues Read(HttpRequest request, IReadOnlyList<ParamSpec> specs)
    {
        var result = new ParamValues();
        foreach (var spec in specs)
        {
            // Repeated: the last one wins, as in FastAPI.
            var raw = request.Query.TryGetValue(spec.Name, out var q) ? q[^1] : null;

            if (raw is null)
            {
                if (spec.Required) result.Errors.Add(FieldError.Missing("query", spec.Name));
                else result._values[spec.Name] = spec.Default;
                continue;
            }
            var loc = new object[] { "query", spec.Name };
            if (Parse(spec, raw, loc, out var value, out var error)) result._values[spec.Name] = value;
            else result.Errors.Add(error!);
        }
        return result;
    }

    private static bool Parse(ParamSpec spec, string raw, object[] loc, out object? value, out FieldError? error)
    {
        value = null;
        error = null;
        switch (spec.Kind)
        {
            case ParamKind.String:
                if (spec.MinLength is { } min && raw.Length < min) { error = FieldError.TooShort(loc, raw, min); return false; }
                if (spec.MaxLength is { } max && raw.Length > max) { error = FieldError.TooLong(loc, raw, max); return false; }
                if (spec.Rule is not { } rule) { value = raw; return true; }
                if (rule.TryRead(raw, out value, out var message)) return true;
                error = FieldError.ValueError(loc, raw, message);
                return false;

            case ParamKind.Integer:
                if (!long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    error = new FieldError("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", raw);
                    return false;
                }
                if (spec.Minimum is { } ge && l < ge)
                {
                    error = new FieldError("greater_than_equal", loc, $"Input should be greater than or equal to {ge}", raw, new Dictionary<string, object?> { ["ge"] = ge });
                    return false;
                }
                if (spec.Maximum is { } le && l > le)
                {
                    error = new FieldError("less_than_equal", loc, $"Input should be less than or equal to {le}", raw, new Dictionary<string, object?> { ["le"] = le });
                    return false;
                }
                value = l;
                return true;

            case ParamKind.Number:
                if (!decimal.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    error = new FieldError("decimal_parsing", loc, "Input should be a valid decimal", raw);
                    return false;
                }
                if (spec.GreaterThan is { } gt && d <= gt)
                {
                    error = new FieldError("greater_than", loc, $"Input should be greater than {gt}", raw, new Dictionary<string, object?> { ["gt"] = gt });
                    return false;
                }
                if (spec.NumberMaximum is { } nle && d > nle)
                {
                    error = new FieldError("less_than_equal", loc, $"Input should be less than or equal to {nle}", raw, new Dictionary<string, object?> { ["le"] = nle });
                    return false;
                }
                value = d;
                return true;

            case ParamKind.Boolean:
                if (!TryParseBool(raw, out var b))
                {
                    error = new FieldError("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", raw);
                    return false;
                }
                value = b;
                return true;

            case ParamKind.DateTime:
                if (!TryParseTimestamp(raw, out var ts))
                {
                    error = new FieldError("datetime_from_date_parsing", loc, "Input should be a valid datetime or date, invalid character in year", raw);
                    return false;
                }
                value = ts;
                return true;

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, null);
        }
    }

    // pydantic's lax boolean parsing of strings.
    private static readonly string[] Truthy = ["1", "on", "t", "true", "y", "yes"];
    private static readonly string[] Falsy = ["0", "off", "f", "false", "n", "no"];

    public static bool TryParseBool(string raw, out bool value)
    {
        var s = raw.Trim().ToLowerInvariant();
        value = Truthy.Contains(s);
        return value || Falsy.Contains(s);
    }

    public static bool TryParseTimestamp(string raw, out DateTimeOffset value)
    {
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(raw.Trim(), ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm"],
                CultureInfo.InvariantCulture, styles, out value))
            return true;
        return false;
    }
}
