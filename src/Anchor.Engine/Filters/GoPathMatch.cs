using System.Text;
using System.Text.RegularExpressions;

namespace Anchor.Engine.Filters;

/// <summary>
/// Go's path.Match, which docker's reference= filter uses: '*' is any run of characters but '/',
/// '?' one character but '/', '[...]' a class ('^' or '!' negates), '\' quotes the next character.
/// </summary>
public static class GoPathMatch
{
    public static bool IsMatch(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Regex.IsMatch(name, ToRegex(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "syntax error in pattern", 1);
                    }

                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('^') || body.StartsWith('!');
                    regex.Append(negate ? "[^/" : "[").Append((negate ? body[1..] : body).Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
