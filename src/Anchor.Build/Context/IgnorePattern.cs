using System.Text;
using System.Text.RegularExpressions;

namespace Anchor.Build.Context;

/// <summary>
/// One .dockerignore line as moby/patternmatcher compiles it: Go's filepath.Match syntax
/// (<c>*</c>, <c>?</c>, <c>[class]</c>, <c>\</c> escapes, none crossing <c>/</c>) plus <c>**</c>
/// for any number of directories; a leading <c>!</c> makes it an exception.
/// </summary>
public sealed class IgnorePattern
{
    private readonly Regex _regex;

    public IgnorePattern(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        Exclusion = text.StartsWith('!');
        if (Exclusion)
        {
            text = text[1..].Trim();
        }

        Text = CleanPath(text);
        _regex = new Regex(ToRegex(Text), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>The cleaned pattern: no leading or trailing slash, no "." or ".." segments.</summary>
    public string Text { get; }

    public bool Exclusion { get; }

    public bool Matches(string relativePath) => _regex.IsMatch(relativePath);

    /// <summary>filepath.Clean on a slash path, made relative (patterns are relative to the context root).</summary>
    public static string CleanPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!path.StartsWith('/'))
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(segment);
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    /// <summary>Go filepath.Match syntax alone, for COPY source globs (no "**").</summary>
    public static Regex Glob(string pattern) =>
        new(ToRegex(pattern, doubleStar: false), RegexOptions.CultureInvariant | RegexOptions.Singleline);

    public static bool HasGlob(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;

    private static string ToRegex(string pattern, bool doubleStar = true)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when doubleStar && i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++; // "**/" is "**"
                    }

                    // "**" at the end matches everything, elsewhere any number of directories (also none).
                    sb.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        throw new BuildException($"syntax error in pattern: {pattern}");
                    }

                    var set = pattern[(i + 1)..close];
                    var negate = set.StartsWith('^') || set.StartsWith('!');
                    if (negate)
                    {
                        set = set[1..];
                    }

                    sb.Append(negate ? "[^/" : "[").Append(set.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.Append('$').ToString();
    }
}
