using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bitcain.Edge;

/// <summary>How the edge reads requests.</summary>
public sealed class EdgeOptions
{
    /// <summary>A body longer than this is never buffered: reading it throws <see cref="BodyTooLargeException"/>.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>What the edge filter looks for among a handler's arguments: a request read with pydantic's rules, and what was wrong with it.</summary>
public interface IEdgeRequest
{
    IReadOnlyList<FieldError> Problems { get; }
}

/// <summary>
/// A request's query parameters as one record. Each property is a parameter: its wire name (<c>[JsonPropertyName]</c>),
/// its rules (<c>[Required]</c>, <c>[Range]</c>, <c>[MinLength]</c>, <c>[MaxLength]</c>, <c>[DefaultValue]</c>) and its
/// <c>[Description]</c>, <c>[ValueRule]</c>) are declared once, on the record, and both the reading and <c>/openapi.json</c> come from there.
/// ASP.NET's own binding would answer a bad integer with its 400; the record binds itself, so every problem becomes
/// the contract's 422 entry, all of them, in the order pydantic reports them.
/// </summary>
public abstract record EdgeQuery<TSelf> : IEdgeRequest, IBindableFromHttpContext<TSelf>, IEndpointParameterMetadataProvider
    where TSelf : EdgeQuery<TSelf>, new()
{
    [JsonIgnore] public IReadOnlyList<FieldError> Problems { get; private set; } = [];

    public static IReadOnlyList<ParamSpec> Specs => EdgeSpecs.Query(typeof(TSelf));

    /// <summary>The reading with the record's own rules; a record with a rule across fields adds its problems here.</summary>
    protected virtual ParamValues Read(HttpContext context) => ParamValues.Read(context.Request, Specs);

    public static ValueTask<TSelf?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var record = new TSelf();
        var values = record.Read(context);
        record.Problems = values.Errors;
        if (values.IsValid) EdgeSpecs.Fill(record, values.Value);
        return ValueTask.FromResult<TSelf?>(record);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        builder.Metadata.Add(new EdgeParameters(Specs));
        builder.Metadata.Add(EdgeSpecs.ValidationResponse);
    }
}

/// <summary>
/// A JSON request body as one record (its name is the schema's name in <c>/openapi.json</c>). Read once, with
/// pydantic's rules: malformed JSON, wrong JSON types, missing fields and every field's own rules become 422 entries,
/// never ASP.NET's 400.
/// </summary>
public abstract record EdgeBody<TSelf> : IEdgeRequest, IBindableFromHttpContext<TSelf>, IEndpointParameterMetadataProvider
    where TSelf : EdgeBody<TSelf>, new()
{
    [JsonIgnore] public IReadOnlyList<FieldError> Problems { get; private set; } = [];

    public static BodySpec Spec => EdgeSpecs.Body(typeof(TSelf));

    /// <summary>A rule the fields' own do not say (bounds of a free-form object); runs on a body whose fields were read.</summary>
    protected virtual void Check(BodyValues body) { }

    public static async ValueTask<TSelf?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<EdgeOptions>>().Value;
        var body = await BodyValues.ReadAsync(context.Request, Spec, options.MaxRequestBodyBytes, context.RequestAborted);
        var record = new TSelf();
        record.Check(body);
        record.Problems = body.Errors;
        if (body.IsValid) EdgeSpecs.Fill(record, body.Value);
        return record;
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        // Not AcceptsMetadata: routing would answer a body of another type with 415, where FastAPI reads it and answers 422.
        builder.Metadata.Add(new EdgeBodyType(typeof(TSelf), Spec));
        builder.Metadata.Add(EdgeSpecs.ValidationResponse);
    }
}

/// <summary>The JSON body record an endpoint reads, for the document's operation transformer.</summary>
public sealed record EdgeBodyType(Type Record, BodySpec Spec);

/// <summary>The query parameters an endpoint reads, for the document's operation transformer.</summary>
public sealed record EdgeParameters(IReadOnlyList<ParamSpec> Specs);

/// <summary>Derives the rule engine's specs from a record's properties, once per record type.</summary>
public static class EdgeSpecs
{
    public static readonly ProducesResponseTypeMetadata ValidationResponse =
        new(StatusCodes.Status422UnprocessableEntity, typeof(HTTPValidationError), ["application/json"]);

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ParamSpec>> Queries = new();
    private static readonly ConcurrentDictionary<Type, BodySpec> Bodies = new();
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(PropertyInfo Property, string Name)>> Fields = new();

    public static string WireName(PropertyInfo p) =>
        p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name);

    private static IReadOnlyList<(PropertyInfo Property, string Name)> FieldsOf(Type type) => Fields.GetOrAdd(type, t =>
    {
        var fields = t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            // Declaration order is the order pydantic reports problems in.
            .OrderBy(p => p.MetadataToken)
            .Select(p => (p, WireName(p)))
            .ToList();
        SecretInputs.Declare(fields.Where(f => f.p.GetCustomAttribute<SecretAttribute>() is not null).Select(f => f.Item2));
        return fields;
    });

    public static IReadOnlyList<ParamSpec> Query(Type type) => Queries.GetOrAdd(type, t => FieldsOf(t).Select(f =>
    {
        var p = f.Property;
        var clr = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        var rule = ValueReader.Of(p, clr);
        var kind = rule is not null ? ParamKind.String
            : clr == typeof(int) || clr == typeof(long) ? ParamKind.Integer
            : clr == typeof(decimal) ? ParamKind.Number
            : clr == typeof(bool) ? ParamKind.Boolean
            : clr == typeof(DateTimeOffset) ? ParamKind.DateTime
            : ParamKind.String;
        var range = p.GetCustomAttribute<RangeAttribute>();
        var fallback = p.GetCustomAttribute<DefaultValueAttribute>()?.Value;
        return new ParamSpec(f.Name, kind,
            Required: p.GetCustomAttribute<RequiredAttribute>() is not null,
            Default: kind == ParamKind.Integer && fallback is not null ? Convert.ToInt64(fallback, CultureInfo.InvariantCulture) : fallback,
            MinLength: p.GetCustomAttribute<MinLengthAttribute>()?.Length,
            MaxLength: p.GetCustomAttribute<MaxLengthAttribute>()?.Length,
            GreaterThan: kind == ParamKind.Number && range is { MinimumIsExclusive: true } ? Decimal(range.Minimum) : null,
            Minimum: kind == ParamKind.Integer && range is not null ? Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture) : null,
            Maximum: kind == ParamKind.Integer && range is not null ? Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture) : null,
            Description: p.GetCustomAttribute<DescriptionAttribute>()?.Description,
            NumberMaximum: kind == ParamKind.Number && range is not null ? Decimal(range.Maximum) : null,
            Rule: rule);
    }).ToList());

    public static BodySpec Body(Type type) => Bodies.GetOrAdd(type, t => new BodySpec(FieldsOf(t).Select(f =>
    {
        var p = f.Property;
        var clr = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        var allowed = p.GetCustomAttribute<LiteralsAttribute>()?.Allowed;
        var item = ListItem(clr);
        var kind = item is not null ? FieldKind.List
            : clr == typeof(bool) ? FieldKind.Boolean
            : clr == typeof(JsonElement) ? FieldKind.Object
            : FieldKind.String;
        var required = p.GetCustomAttribute<RequiredAttribute>() is not null;
        var fallback = p.GetCustomAttribute<DefaultValueAttribute>()?.Value;
        return new BodyField(f.Name, kind, required,
            // pydantic's Optional fields: what is neither required nor defaulted may be sent as null.
            Nullable: !required && fallback is null,
            Default: fallback,
            MinLength: p.GetCustomAttribute<MinLengthAttribute>()?.Length,
            MaxLength: p.GetCustomAttribute<MaxLengthAttribute>()?.Length,
            Allowed: allowed,
            Description: p.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Rule: ValueReader.Of(p, item ?? clr));
    }).ToList()));

    /// <summary>The item type of a list property (any <c>IEnumerable&lt;T&gt;</c> but a string), or null.</summary>
    private static Type? ListItem(Type type) =>
        type == typeof(string) ? null
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type.GetGenericArguments()[0]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>Sets each property of a request that was read without problems to its typed value.</summary>
    internal static void Fill(object record, Func<string, object?> valueOf)
    {
        foreach (var (property, name) in FieldsOf(record.GetType()))
        {
            var value = valueOf(name);
            if (value is null) continue;
            var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(record, clr == typeof(int) ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : value);
        }
    }

    private static decimal Decimal(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);
}

/// <summary>
/// The one filter of the edge: text a store behind it cannot hold (<see cref="RequestText"/>) first, then the problems of every
/// request record the handler binds, as one 422. It runs after authentication and routing: a stranger still gets 401,
/// an unknown path 404.
/// </summary>
public sealed class EdgeValidation : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        if (RequestText.Find(invocation.HttpContext) is { } unreadable) return EdgeResults.Invalid([unreadable]);
        foreach (var argument in invocation.Arguments)
            if (argument is IEdgeRequest { Problems.Count: > 0 } request)
                return EdgeResults.Invalid(request.Problems);
        return await next(invocation);
    }
}
