using System.Globalization;
using System.Text;

namespace Anchor.Cli.Output.Templates;

/// <summary>Go's strconv.Quote and Unquote, for string literals, <c>%q</c> and error messages.</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\a':
                    sb.Append("\\a");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\v':
                    sb.Append("\\v");
                    break;
                case < ' ' or 0x7F:
                    sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned)
                    {
                        sb.Append(rune.Value > 0xFFFF ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Unquotes a "interpreted", `raw` or 'c' literal; null when malformed.</summary>
    public static string? Unquote(string literal)
    {
        if (literal.Length < 2)
        {
            return null;
        }

        var quote = literal[0];
        if (literal[^1] != quote)
        {
            return null;
        }

        var body = literal[1..^1];
        if (quote == '`')
        {
            return body.Contains('`', StringComparison.Ordinal) ? null : body.Replace("\r", "", StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                if (c == quote || c == '\n')
                {
                    return null;
                }

                sb.Append(c);
                continue;
            }

            if (++i >= body.Length)
            {
                return null;
            }

            switch (body[i])
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '\'' when quote == '\'': sb.Append('\''); break;
                case '"' when quote == '"': sb.Append('"'); break;
                case 'x' when TryHex(body, i + 1, 2, out var x):
                    sb.Append((char)x);
                    i += 2;
                    break;
                case 'u' when TryHex(body, i + 1, 4, out var u):
                    sb.Append(char.ConvertFromUtf32(u));
                    i += 4;
                    break;
                case 'U' when TryHex(body, i + 1, 8, out var bigU) && bigU <= 0x10FFFF:
                    sb.Append(char.ConvertFromUtf32(bigU));
                    i += 8;
                    break;
                case >= '0' and <= '7' when i + 2 < body.Length && IsOctal(body[i + 1]) && IsOctal(body[i + 2]):
                    sb.Append((char)(((body[i] - '0') * 64) + ((body[i + 1] - '0') * 8) + (body[i + 2] - '0')));
                    i += 2;
                    break;
                default:
                    return null;
            }
        }

        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static bool TryHex(string s, int start, int count, out int value)
    {
        value = 0;
        return start + count <= s.Length
            && int.TryParse(s.AsSpan(start, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
