using System.Globalization;
using System.Text;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// The functions a docker format can call: Go's builtins (text/template "Functions": and, or, not,
/// len, index, slice, print, printf, println, eq, ne, lt, le, gt, ge) and docker's additions
/// (docker/cli templates/templates.go: json, split, join, title, lower, upper, pad, truncate).
/// <c>and</c>/<c>or</c> are short-circuit and are evaluated by the executor itself.
/// </summary>
internal static class TemplateFunctions
{
    private static readonly Dictionary<string, TemplateFunction> Functions = new(StringComparer.Ordinal)
    {
        ["and"] = new(1, -1, a => a[^1]),
        ["or"] = new(1, -1, a => a[^1]),
        ["not"] = new(1, 1, a => TemplateValue.From(!GoComparison.IsTrue(a[0]))),
        ["len"] = new(1, 1, a => TemplateValue.From((long)Length(a[0]))),
        ["index"] = new(1, -1, Index),
        ["slice"] = new(1, -1, Slice),
        ["print"] = new(0, -1, a => TemplateValue.From(Sprint(a))),
        ["println"] = new(0, -1, a => TemplateValue.From(string.Join(' ', a.Select(GoFormatter.FormatValue)) + "\n")),
        ["printf"] = new(1, -1, a => TemplateValue.From(GoPrintf.Sprintf(GoArgs.String(a[0]), a.Skip(1).ToList()))),
        ["eq"] = new(1, -1, a => TemplateValue.From(GoComparison.Eq(a))),
        ["ne"] = new(2, 2, a => TemplateValue.From(!GoComparison.Eq(a))),
        ["lt"] = new(2, 2, a => TemplateValue.From(GoComparison.Lt(a[0], a[1]))),
        ["le"] = new(2, 2, a => TemplateValue.From(GoComparison.Le(a[0], a[1]))),
        ["gt"] = new(2, 2, a => TemplateValue.From(!GoComparison.Le(a[0], a[1]))),
        ["ge"] = new(2, 2, a => TemplateValue.From(!GoComparison.Lt(a[0], a[1]))),
        ["json"] = new(1, 1, a => TemplateValue.From(TemplateJson.Serialize(a[0]))),
        ["split"] = new(2, 2, a => TemplateValue.From(Split(GoArgs.String(a[0]), GoArgs.String(a[1])))),
        ["join"] = new(2, 2, a => TemplateValue.From(string.Join(GoArgs.String(a[1]), GoArgs.StringSlice(a[0])))),
        ["title"] = new(1, 1, a => TemplateValue.From(Title(GoArgs.String(a[0])))),
        ["lower"] = new(1, 1, a => TemplateValue.From(GoArgs.String(a[0]).ToLowerInvariant())),
        ["upper"] = new(1, 1, a => TemplateValue.From(GoArgs.String(a[0]).ToUpperInvariant())),
        ["pad"] = new(3, 3, a => TemplateValue.From(Pad(GoArgs.String(a[0]), GoArgs.Int(a[1]), GoArgs.Int(a[2])))),
        ["truncate"] = new(2, 2, a => TemplateValue.From(Truncate(GoArgs.String(a[0]), GoArgs.Int(a[1])))),
    };

    /// <summary>
    /// docker's HeaderFunctions: when the header row of a <c>table</c> format is rendered, these
    /// return their (string) first argument unchanged, so <c>{{upper .Names}}</c> heads its
    /// column with NAMES; <c>pad</c> is not overridden, to keep the column aligned.
    /// </summary>
    private static readonly Dictionary<string, TemplateFunction> HeaderFunctions = new(StringComparer.Ordinal)
    {
        ["json"] = new(1, 1, a => TemplateValue.From(GoArgs.String(a[0]))),
        ["split"] = new(2, 2, a => TemplateValue.From(GoArgs.String(a[0]))),
        ["join"] = new(2, 2, a => TemplateValue.From(GoArgs.String(a[0]))),
        ["title"] = new(1, 1, a => TemplateValue.From(GoArgs.String(a[0]))),
        ["lower"] = new(1, 1, a => TemplateValue.From(GoArgs.String(a[0]))),
        ["upper"] = new(1, 1, a => TemplateValue.From(GoArgs.String(a[0]))),
        ["truncate"] = new(2, 2, a => TemplateValue.From(GoArgs.String(a[0]))),
    };

    public static bool Exists(string name) => Functions.ContainsKey(name);

    public static TemplateFunction Get(string name, bool header) =>
        header && HeaderFunctions.TryGetValue(name, out var h) ? h : Functions[name];

    /// <summary>fmt.Sprint: a space between operands when neither is a string.</summary>
    private static string Sprint(IReadOnlyList<TemplateValue> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i].Kind != TemplateValueKind.String && args[i - 1].Kind != TemplateValueKind.String)
            {
                sb.Append(' ');
            }

            GoFormatter.Append(sb, args[i]);
        }

        return sb.ToString();
    }

    private static int Length(TemplateValue v) => v.Kind switch
    {
        TemplateValueKind.String => GoArgs.Utf8Length(v.AsString),
        TemplateValueKind.Array => v.AsArray.Count,
        TemplateValueKind.Object => v.AsObject.Count,
        TemplateValueKind.Null when v.NilText is "[]" or "map[]" => 0, // a typed nil slice or map
        TemplateValueKind.Null => throw new FunctionException("len of nil pointer"),
        _ => throw new FunctionException($"len of type {v.GoTypeName}"),
    };

    private static TemplateValue Index(IReadOnlyList<TemplateValue> args)
    {
        var item = args[0];
        if (ReferenceEquals(item, TemplateValue.NilMap) && args.Count == 2)
        {
            // A nil map[string]string (Labels, Tmpfs…): every key gives the zero value "".
            return TemplateValue.EmptyString;
        }

        if (item.IsNull)
        {
            throw new FunctionException("index of untyped nil");
        }

        foreach (var index in args.Skip(1))
        {
            switch (item.Kind)
            {
                case TemplateValueKind.Array or TemplateValueKind.String:
                    var count = item.Kind == TemplateValueKind.Array ? item.AsArray.Count : Encoding.UTF8.GetByteCount(item.AsString);
                    var i = IndexArg(index, count, item.Kind == TemplateValueKind.Array ? "slice/array" : "string");
                    item = item.Kind == TemplateValueKind.Array
                        ? item.AsArray[i]
                        : TemplateValue.From((long)Encoding.UTF8.GetBytes(item.AsString)[i]);
                    break;
                case TemplateValueKind.Object:
                    if (index.Kind != TemplateValueKind.String)
                    {
                        throw new FunctionException($"value has type {index.GoTypeName}; should be string");
                    }

                    var obj = item.AsObject;
                    item = obj.TryGetValue(index.AsString, out var value) ? value : obj.MissingIndexValue;
                    break;
                case TemplateValueKind.Null:
                    throw new FunctionException("index of nil pointer");
                default:
                    throw new FunctionException($"can't index item of type {item.GoTypeName}");
            }
        }

        return item;
    }

    private static int IndexArg(TemplateValue index, int count, string what)
    {
        if (index.Kind != TemplateValueKind.Integer)
        {
            throw new FunctionException($"cannot index {what} with type {index.GoTypeName}");
        }

        var i = index.AsInteger;
        return i < 0 || i >= count
            ? throw new FunctionException($"index out of range: {i.ToString(CultureInfo.InvariantCulture)}")
            : (int)i;
    }

    private static TemplateValue Slice(IReadOnlyList<TemplateValue> args)
    {
        var item = args[0];
        if (item.IsNull)
        {
            throw new FunctionException("slice of untyped nil");
        }

        if (item.Kind is not (TemplateValueKind.String or TemplateValueKind.Array))
        {
            throw new FunctionException($"can't slice item of type {item.GoTypeName}");
        }

        var length = item.Kind == TemplateValueKind.String ? Encoding.UTF8.GetByteCount(item.AsString) : item.AsArray.Count;
        if (args.Count > 3)
        {
            throw new FunctionException($"too many slice indexes: {args.Count - 1}");
        }

        var bounds = args.Skip(1).Select(a => a.Kind == TemplateValueKind.Integer
            ? a.AsInteger
            : throw new FunctionException($"cannot index slice/array with type {a.GoTypeName}")).ToArray();
        var low = bounds.Length > 0 ? bounds[0] : 0;
        var high = bounds.Length > 1 ? bounds[1] : length;
        if (low < 0 || low > length || high > length)
        {
            throw new FunctionException($"index out of range: {(low < 0 || low > length ? low : high).ToString(CultureInfo.InvariantCulture)}");
        }

        if (low > high)
        {
            throw new FunctionException($"invalid slice index: {low.ToString(CultureInfo.InvariantCulture)} > {high.ToString(CultureInfo.InvariantCulture)}");
        }

        return item.Kind == TemplateValueKind.String
            ? TemplateValue.From(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(item.AsString), (int)low, (int)(high - low)))
            : TemplateValue.From(item.AsArray.Skip((int)low).Take((int)(high - low)));
    }

    /// <summary>strings.Split: an empty separator splits after each character; "" gives [""].</summary>
    private static string[] Split(string s, string separator) => separator.Length == 0
        ? s.EnumerateRunes().Select(r => r.ToString()).ToArray()
        : s.Split(separator);

    /// <summary>strings.Title: upper-cases the first letter of each word; ASCII punctuation and spaces separate words.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previous = new Rune(' ');
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append((IsSeparator(previous) ? Rune.ToUpperInvariant(rune) : rune).ToString());
            previous = rune;
        }

        return sb.ToString();
    }

    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '_');
        }

        return !Rune.IsLetterOrDigit(r) && Rune.IsWhiteSpace(r);
    }

    private static string Pad(string s, int prefix, int suffix) =>
        s.Length == 0 ? s : new string(' ', Math.Max(prefix, 0)) + s + new string(' ', Math.Max(suffix, 0));

    /// <summary>docker's truncateWithLength: the first <paramref name="length"/> bytes.</summary>
    private static string Truncate(string s, int length)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length < length)
        {
            return s;
        }

        return length < 0
            ? throw new FunctionException($"runtime error: slice bounds out of range [:{length.ToString(CultureInfo.InvariantCulture)}]")
            : Encoding.UTF8.GetString(bytes, 0, length);
    }
}
