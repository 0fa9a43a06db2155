using System.Globalization;
using System.Text;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// The part of Go's fmt.Sprintf that formats use: verbs %v %s %d %q %t %x %X %f %e %g %c %%, the
/// flags - + 0 and space, width and precision; and fmt's in-band errors
/// (<c>%!d(string=x)</c>, <c>%!s(MISSING)</c>, <c>%!(EXTRA int=1)</c>).
/// </summary>
internal static class GoPrintf
{
    public static string Sprintf(string format, IReadOnlyList<TemplateValue> args)
    {
        var sb = new StringBuilder();
        var argIndex = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i++];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            var spec = new PrintfSpec();
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': spec.Minus = true; continue;
                    case '+': spec.Plus = true; continue;
                    case '0': spec.Zero = true; continue;
                    case ' ': spec.Space = true; continue;
                    case '#': spec.Sharp = true; continue;
                }

                break;
            }

            spec.Width = ReadNumber(format, ref i);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Precision = ReadNumber(format, ref i) ?? 0;
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            var verb = format[i++];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argIndex >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            sb.Append(FormatOne(verb, spec, args[argIndex++]));
        }

        if (argIndex < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(argIndex).Select(a => a.IsNull ? "<nil>" : a.GoTypeName + "=" + GoFormatter.FormatValue(a)));
            sb.Append(')');
        }

        return sb.ToString();
    }

    /// <summary>fmt's %#U: <c>U+0023 '#'</c>.</summary>
    public static string UnicodeFormat(char c) =>
        "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + (char.IsControl(c) ? "" : " '" + c + "'");

    private static int? ReadNumber(string format, ref int i)
    {
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i == start ? null : int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture);
    }

    private static string FormatOne(char verb, PrintfSpec spec, TemplateValue arg)
    {
        if (arg.IsNull)
        {
            return verb == 'v' ? Pad(spec, "<nil>") : $"%!{verb}(<nil>)";
        }

        string? text = (verb, arg.Kind) switch
        {
            ('v', TemplateValueKind.Float) => FormatFloat('g', spec, arg.AsFloat),
            ('v', TemplateValueKind.Integer) => FormatInteger(spec, arg.AsInteger, 10, false),
            ('v', _) => GoFormatter.FormatValue(arg),
            ('s', TemplateValueKind.String) => Truncate(arg.AsString, spec.Precision),
            ('s' or 'd' or 'q' or 'x' or 'X', TemplateValueKind.Array or TemplateValueKind.Object) => Elementwise(verb, spec, arg),
            ('q', TemplateValueKind.String) => GoQuote.Quote(Truncate(arg.AsString, spec.Precision)),
            ('q', TemplateValueKind.Integer) => "'" + char.ConvertFromUtf32((int)arg.AsInteger) + "'",
            ('d', TemplateValueKind.Integer) => FormatInteger(spec, arg.AsInteger, 10, false),
            ('x', TemplateValueKind.Integer) => FormatInteger(spec, arg.AsInteger, 16, false),
            ('X', TemplateValueKind.Integer) => FormatInteger(spec, arg.AsInteger, 16, true),
            ('o', TemplateValueKind.Integer) => FormatInteger(spec, arg.AsInteger, 8, false),
            ('b', TemplateValueKind.Integer) => FormatInteger(spec, arg.AsInteger, 2, false),
            ('c', TemplateValueKind.Integer) => char.ConvertFromUtf32((int)arg.AsInteger),
            ('x', TemplateValueKind.String) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(arg.AsString)),
            ('X', TemplateValueKind.String) => Convert.ToHexString(Encoding.UTF8.GetBytes(arg.AsString)),
            ('t', TemplateValueKind.Bool) => arg.AsBool ? "true" : "false",
            ('f' or 'F' or 'e' or 'g', TemplateValueKind.Float) => FormatFloat(verb, spec, arg.AsFloat),
            _ => null,
        };
        return text is null ? $"%!{verb}({arg.GoTypeName}={GoFormatter.FormatValue(arg)})" : Pad(spec, text);
    }

    /// <summary>fmt applies a verb to each element of a slice or map: <c>%q</c> of [a b] is ["a" "b"].</summary>
    private static string Elementwise(char verb, PrintfSpec spec, TemplateValue arg)
    {
        var inner = spec with { Width = null };
        if (arg.Kind == TemplateValueKind.Array)
        {
            return "[" + string.Join(' ', arg.AsArray.Select(a => FormatOne(verb, inner, a))) + "]";
        }

        return "map[" + string.Join(' ', arg.AsObject.Sorted.Select(e => FormatOne(verb, inner, TemplateValue.From(e.Key)) + ":" + FormatOne(verb, inner, e.Value))) + "]";
    }

    private static string Truncate(string s, int? precision)
    {
        if (precision is not { } p)
        {
            return s;
        }

        var runes = s.EnumerateRunes().ToList();
        return runes.Count <= p ? s : string.Concat(runes.Take(p).Select(r => r.ToString()));
    }

    private static string FormatInteger(PrintfSpec spec, long value, int radix, bool upper)
    {
        var magnitude = value == long.MinValue ? 9223372036854775808UL : (ulong)Math.Abs(value);
        var digits = radix switch
        {
            10 => magnitude.ToString(CultureInfo.InvariantCulture),
            16 => magnitude.ToString(upper ? "X" : "x", CultureInfo.InvariantCulture),
            _ => Convert.ToString((long)magnitude, radix),
        };
        if (spec.Precision is { } p && digits.Length < p)
        {
            digits = new string('0', p - digits.Length) + digits;
        }

        var sign = value < 0 ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        return ZeroPad(spec, sign, digits);
    }

    private static string FormatFloat(char verb, PrintfSpec spec, double f)
    {
        string body;
        if (verb == 'g' && spec.Precision is null)
        {
            body = GoFormatter.FormatG(Math.Abs(f));
        }
        else if (verb is 'e')
        {
            var s = Math.Abs(f).ToString("0." + new string('0', spec.Precision ?? 6) + "e+00", CultureInfo.InvariantCulture);
            body = (spec.Precision ?? 6) == 0 ? s.Replace(".", "", StringComparison.Ordinal) : s;
        }
        else
        {
            body = Math.Abs(f).ToString("F" + (spec.Precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        var sign = f < 0 || double.IsNegative(f) ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        return ZeroPad(spec, sign, body);
    }

    private static string ZeroPad(PrintfSpec spec, string sign, string digits)
    {
        if (spec.Zero && !spec.Minus && spec.Width is { } w && sign.Length + digits.Length < w)
        {
            return sign + new string('0', w - sign.Length - digits.Length) + digits;
        }

        return sign + digits;
    }

    private static string Pad(PrintfSpec spec, string text)
    {
        var length = text.EnumerateRunes().Count();
        if (spec.Width is not { } w || length >= w)
        {
            return text;
        }

        var padding = new string(' ', w - length);
        return spec.Minus ? text + padding : padding + text;
    }
}
