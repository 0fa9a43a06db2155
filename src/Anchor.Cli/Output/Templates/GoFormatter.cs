using System.Globalization;
using System.Text;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Go's fmt <c>%v</c> rendering of template values (pkg.go.dev/fmt): strings as they are, floats
/// in <c>%g</c> shortest form (<c>1e+06</c>), arrays as <c>[a b c]</c>, maps as
/// <c>map[k:v]</c> with sorted keys, structs as <c>{v1 v2}</c>, nil as <c>&lt;nil&gt;</c>.
/// </summary>
internal static class GoFormatter
{
    public static string FormatValue(TemplateValue value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, TemplateValue value)
    {
        switch (value.Kind)
        {
            case TemplateValueKind.Null:
                sb.Append(value.NilText ?? "<nil>");
                break;
            case TemplateValueKind.String:
                sb.Append(value.AsString);
                break;
            case TemplateValueKind.Integer:
                sb.Append(value.Display ?? value.InvariantInteger);
                break;
            case TemplateValueKind.Float:
                sb.Append(FormatG(value.AsFloat));
                break;
            case TemplateValueKind.Bool:
                sb.Append(value.AsBool ? "true" : "false");
                break;
            case TemplateValueKind.Array:
                sb.Append('[');
                for (var i = 0; i < value.AsArray.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }

                    Append(sb, value.AsArray[i]);
                }

                sb.Append(']');
                break;
            default:
                AppendObject(sb, value.AsObject);
                break;
        }
    }

    private static void AppendObject(StringBuilder sb, TemplateObject obj)
    {
        var isStruct = obj.TypeName is not null;
        sb.Append(isStruct ? "{" : "map[");
        var first = true;
        foreach (var (key, item) in isStruct ? obj : obj.Sorted)
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            if (!isStruct)
            {
                sb.Append(key).Append(':');
            }

            Append(sb, item);
        }

        sb.Append(isStruct ? '}' : ']');
    }

    /// <summary>
    /// strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: the exponent form when the exponent
    /// is below -4 or at least 6 ("if precision was the shortest possible, use precision 6").
    /// </summary>
    public static string FormatG(double f)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            return Special(f);
        }

        var (digits, dp, negative) = Decompose(f);
        var exp = dp - 1;
        var sign = negative ? "-" : "";
        if (f != 0 && (exp < -4 || exp >= 6))
        {
            var mantissa = digits.Length > 1 ? digits[..1] + "." + digits[1..] : digits;
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }

        return sign + Fixed(digits, dp);
    }

    /// <summary>The shortest round-trip digits of <paramref name="f"/> without an exponent.</summary>
    public static string PlainDecimal(double f)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            return Special(f);
        }

        var (digits, dp, negative) = Decompose(f);
        return (negative ? "-" : "") + Fixed(digits, dp);
    }

    /// <summary>Splits "1.5e-05" into ("1.5", -5).</summary>
    public static (string Mantissa, int Exponent) SplitExponent(string s)
    {
        var e = s.IndexOf('e', StringComparison.Ordinal);
        return e < 0 ? (s, 0) : (s[..e], int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    private static string Special(double f) => double.IsNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";

    private static string Fixed(string digits, int dp)
    {
        if (digits == "0")
        {
            return "0";
        }

        if (dp <= 0)
        {
            return "0." + new string('0', -dp) + digits;
        }

        if (dp >= digits.Length)
        {
            return digits + new string('0', dp - digits.Length);
        }

        return digits[..dp] + "." + digits[dp..];
    }

    /// <summary>The shortest digits d1d2… and decimal point position dp such that |f| = 0.d1d2… × 10^dp.</summary>
    private static (string Digits, int Dp, bool Negative) Decompose(double f)
    {
        var negative = f < 0 || (f == 0 && double.IsNegative(f));
        // "R" is the shortest round-trip form (as Go's strconv shortest); re-read it as mantissa and exponent.
        var r = Math.Abs(f).ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        var (mantissa, exponent) = SplitExponent(r);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = intPart + fracPart;
        var dp = intPart.Length + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        dp -= lead;
        return digits.Length == 0 ? ("0", 1, negative) : (digits, dp, negative);
    }
}
