using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Bitcain.Edge;

/// <summary>What a value rule says about the values it accepts, beyond accepting them.</summary>
public interface IValueRule
{
    /// <summary>Values worth showing in the document (a query parameter's <c>examples</c>); null: none.</summary>
    IReadOnlyList<string>? Examples => null;
}

/// <summary>
/// A rule of the application's own for one string (a query parameter, a body field, or each item of a body's list): it
/// reads the raw text into <typeparamref name="T"/>, the type of the property it stands on (or of the list's items),
/// or says why not, and the edge answers pydantic's <c>value_error</c> with that message. A rule may implement this for
/// more than one type; the property's type picks one. It has a parameterless constructor and keeps no request's state.
/// </summary>
public interface IValueRule<T> : IValueRule
{
    bool TryRead(string raw, [MaybeNullWhen(false)] out T value, out string message);
}

/// <summary>The value rule (an <see cref="IValueRule{T}"/>) that reads this property, after its length bounds.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValueRuleAttribute(Type rule) : Attribute
{
    public Type Rule { get; } = rule;
}

/// <summary>A list field whose items are each one of these literals (compared trimmed and lower-case, kept once).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LiteralsAttribute(params string[] allowed) : Attribute
{
    public IReadOnlyList<string> Allowed { get; } = allowed;
}

/// <summary>
/// A field whose value never appears in a 422 body: its wire name is masked wherever an error would echo it
/// (<see cref="SecretInputs"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;

/// <summary>A value rule bound to the type it fills, so the reading needs no generic call per value.</summary>
public sealed class ValueReader
{
    private delegate bool Reader(string raw, out object? value, out string message);

    private readonly Reader _read;

    private ValueReader(Reader read, IValueRule rule, Type target)
    {
        _read = read;
        Examples = rule.Examples;
        Target = target;
    }

    public IReadOnlyList<string>? Examples { get; }

    /// <summary>The type the rule reads into: the property's, or its list's items'.</summary>
    public Type Target { get; }

    public bool TryRead(string raw, out object? value, out string message) => _read(raw, out value, out message);

    /// <summary>The rule of <paramref name="property"/> reading into <paramref name="target"/>, or null when it names none.</summary>
    public static ValueReader? Of(PropertyInfo property, Type target)
    {
        if (property.GetCustomAttribute<ValueRuleAttribute>()?.Rule is not { } type) return null;
        if (!typeof(IValueRule<>).MakeGenericType(target).IsAssignableFrom(type))
            throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: {type.Name} does not read a {target.Name} (IValueRule<{target.Name}>)");
        var rule = Activator.CreateInstance(type)!;
        return (ValueReader)typeof(ValueReader).GetMethod(nameof(Bind), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(target).Invoke(null, [rule])!;
    }

    private static ValueReader Bind<T>(IValueRule<T> rule) => new((string raw, out object? value, out string message) =>
    {
        var ok = rule.TryRead(raw, out var typed, out message);
        value = typed;
        return ok;
    }, rule, typeof(T));
}
