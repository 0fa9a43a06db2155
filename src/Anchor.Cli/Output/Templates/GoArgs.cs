using System.Text;

namespace Anchor.Cli.Output.Templates;

/// <summary>Go's argument conversions for typed function parameters (text/template exec.go evalArg).</summary>
internal static class GoArgs
{
    public static string String(TemplateValue v) => v.Kind == TemplateValueKind.String
        ? v.AsString
        : throw WrongType("string", v);

    public static int Int(TemplateValue v) => v.Kind == TemplateValueKind.Integer && v.AsInteger is >= int.MinValue and <= int.MaxValue
        ? (int)v.AsInteger
        : throw WrongType("int", v);

    public static string[] StringSlice(TemplateValue v) =>
        v.Kind == TemplateValueKind.Array && v.AsArray.All(i => i.Kind == TemplateValueKind.String)
            ? v.AsArray.Select(i => i.AsString).ToArray()
            : throw WrongType("[]string", v);

    public static int Utf8Length(string s) => Encoding.UTF8.GetByteCount(s);

    private static FunctionException WrongType(string expected, TemplateValue v) => v.IsNull
        ? new FunctionException($"invalid value; expected {expected}", isCallError: false)
        : new FunctionException($"wrong type for value; expected {expected}; got {v.GoTypeName}", isCallError: false);
}
