using System.Globalization;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Go's untyped numeric constants in templates (parse/node.go newNumber): an int when the text
/// is integral (decimal, 0x, 0o, 0b, leading-0 octal, '_' separators, 'c' characters), else a
/// float64. Complex constants are not supported.
/// </summary>
internal static class GoNumber
{
    public static TemplateValue? Parse(Token token)
    {
        if (token.Kind == TokenKind.CharConstant)
        {
            var text = GoQuote.Unquote(token.Value);
            return text is null || text.EnumerateRunes().Count() != 1 ? null : TemplateValue.From((long)text.EnumerateRunes().First().Value);
        }

        var s = token.Value.Replace("_", "", StringComparison.Ordinal);
        if (s.EndsWith('i'))
        {
            return null;
        }

        var negative = s.StartsWith('-');
        var body = s.TrimStart('+', '-');
        if (TryParseInteger(body, out var magnitude))
        {
            return TemplateValue.From(negative ? -magnitude : magnitude);
        }

        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || body.Length == 0)
        {
            return null;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? TemplateValue.From(f) : null;
    }

    private static bool TryParseInteger(string body, out long value)
    {
        value = 0;
        var (digits, radix) = body.Length > 1 && body[0] == '0'
            ? char.ToLowerInvariant(body[1]) switch
            {
                'x' => (body[2..], 16),
                'o' => (body[2..], 8),
                'b' => (body[2..], 2),
                _ => (body[1..], 8),
            }
            : (body, 10);
        if (digits.Length == 0)
        {
            return body == "0";
        }

        foreach (var c in digits)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= radix)
            {
                return false;
            }

            try
            {
                value = checked((value * radix) + d);
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return true;
    }
}
