using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// An immutable value a Go template is evaluated against: a JSON-shaped tree (object, array,
/// string, integer, float, bool, null). Go's text/template walks arbitrary Go values by
/// reflection; Anchor is NativeAOT, so commands build this tree instead (directly, or from the
/// JSON document they would print with <see cref="FromJson(JsonElement)"/>).
/// </summary>
public sealed class TemplateValue
{
    private readonly object? _value;

    private TemplateValue(TemplateValueKind kind, object? value)
    {
        Kind = kind;
        _value = value;
    }

    public static TemplateValue Null { get; } = new(TemplateValueKind.Null, null);

    /// <summary>Go's invalid reflect.Value ("no value": a missing map key), distinct from a JSON null (a nil interface).</summary>
    internal static TemplateValue Missing { get; } = new(TemplateValueKind.Null, null);

    /// <summary>A nil slice of a Go struct field: printed "[]", JSON null (docker's typed inspect pass).</summary>
    internal static TemplateValue NilSlice { get; } = new(TemplateValueKind.Null, "[]");

    /// <summary>A nil map of a Go struct field: printed "map[]", JSON null.</summary>
    internal static TemplateValue NilMap { get; } = new(TemplateValueKind.Null, "map[]");

    /// <summary>A nil pointer of a Go struct field: printed "&lt;nil&gt;", JSON null.</summary>
    internal static TemplateValue NilPointer { get; } = new(TemplateValueKind.Null, "<nil>");

    public static TemplateValue True { get; } = new(TemplateValueKind.Bool, true);

    public static TemplateValue False { get; } = new(TemplateValueKind.Bool, false);

    public static TemplateValue EmptyString { get; } = new(TemplateValueKind.String, "");

    public TemplateValueKind Kind { get; }

    public bool IsNull => Kind == TemplateValueKind.Null;

    /// <summary>How Go prints this typed nil (<see cref="NilSlice"/>, <see cref="NilMap"/>, <see cref="NilPointer"/>); null for an untyped nil.</summary>
    internal string? NilText => Kind == TemplateValueKind.Null ? _value as string : null;

    public string AsString => (string)_value!;

    public long AsInteger => (long)_value!;

    public double AsFloat => Kind == TemplateValueKind.Integer ? (long)_value! : (double)_value!;

    public bool AsBool => (bool)_value!;

    public IReadOnlyList<TemplateValue> AsArray => (IReadOnlyList<TemplateValue>)_value!;

    public TemplateObject AsObject => (TemplateObject)_value!;

    public static TemplateValue From(string? value) =>
        value is null ? Null : value.Length == 0 ? EmptyString : new(TemplateValueKind.String, value);

    public static TemplateValue From(long value) => new(TemplateValueKind.Integer, value);

    /// <summary>A Go time.Duration: an integer of nanoseconds (JSON, eq, %d) that prints as "5s" (its String method).</summary>
    internal static TemplateValue Duration(long nanoseconds) => new(TemplateValueKind.Integer, nanoseconds) { Display = GoDuration.Format(nanoseconds) };

    /// <summary>What a Go Stringer's String method returns, printed instead of the plain value.</summary>
    internal string? Display { get; private init; }

    public static TemplateValue From(double value) => new(TemplateValueKind.Float, value);

    public static TemplateValue From(bool value) => value ? True : False;

    public static TemplateValue From(TemplateObject value) => new(TemplateValueKind.Object, value);

    public static TemplateValue From(IEnumerable<TemplateValue> items) => new(TemplateValueKind.Array, items.ToArray());

    /// <summary>An array of strings, e.g. <c>.Config.Env</c> or <c>.Args</c>.</summary>
    public static TemplateValue From(IEnumerable<string> items) => From(items.Select(From));

    public static TemplateValue FromJson(JsonElement element) => TemplateJson.FromElement(element);

    public static TemplateValue FromJson(JsonNode? node) => TemplateJson.FromNode(node);

    public static implicit operator TemplateValue(string? value) => From(value);

    public static implicit operator TemplateValue(long value) => From(value);

    public static implicit operator TemplateValue(bool value) => From(value);

    public static implicit operator TemplateValue(double value) => From(value);

    public static implicit operator TemplateValue(TemplateObject value) => From(value);

    /// <summary>The Go type name used in error messages, as docker prints it for values decoded from JSON.</summary>
    public string GoTypeName => Kind switch
    {
        TemplateValueKind.Null => "<nil>",
        TemplateValueKind.Bool => "bool",
        TemplateValueKind.String => "string",
        TemplateValueKind.Integer => "int",
        TemplateValueKind.Float => "float64",
        TemplateValueKind.Array => "[]interface {}",
        _ => AsObject.TypeName ?? "map[string]interface {}",
    };

    /// <summary>Go's <c>fmt.Sprint</c> of the value (<c>%v</c>).</summary>
    public override string ToString() => GoFormatter.FormatValue(this);

    internal string InvariantInteger => AsInteger.ToString(CultureInfo.InvariantCulture);
}
