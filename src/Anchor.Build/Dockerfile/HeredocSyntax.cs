using System.Text;
using System.Text.RegularExpressions;

namespace Anchor.Build.Dockerfile;

/// <summary>
/// Recognises here-document words the way BuildKit's parser does (frontend/dockerfile/parser,
/// reHeredoc): a word <c>[n]&lt;&lt;[-]DELIM</c> of a RUN, COPY or ADD in shell form. The delimiter
/// loses its quotes; quoting any part of it turns expansion off (POSIX sh, 2.7.4 Here-Document).
/// </summary>
public static partial class HeredocSyntax
{
    private static readonly HashSet<string> Allowed = ["RUN", "COPY", "ADD"];

    /// <summary>Whether the instruction's following lines may hold here-documents (not the JSON form).</summary>
    public static bool CanContain(Instruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return (Allowed.Contains(instruction.Keyword) && !instruction.IsJson && instruction.Arguments.Contains("<<", StringComparison.Ordinal))
            || (instruction.Keyword == "ONBUILD" && OnBuildTrigger(instruction.Arguments) is { } trigger && Allowed.Contains(trigger) && instruction.Arguments.Contains("<<", StringComparison.Ordinal)
                && !instruction.Arguments.TrimStart()[trigger.Length..].TrimStart().StartsWith('['));
    }

    /// <summary>An ONBUILD's trigger keyword, upper-case (BuildKit reads here-documents for an ONBUILD RUN, COPY or ADD too: heredocCompoundDirectives).</summary>
    private static string? OnBuildTrigger(string arguments)
    {
        var text = arguments.TrimStart();
        var end = text.IndexOfAny([' ', '\t']);
        return end <= 0 ? null : text[..end].ToUpperInvariant();
    }

    /// <summary>The here-document words of an instruction's arguments, in order, contents not yet read.</summary>
    public static List<Heredoc> Find(string arguments, char escape = '\\') =>
        [.. DockerfileParser.QuotedWords(arguments, escape).Select(Parse).OfType<Heredoc>()];

    /// <summary>The here-document a single word opens, or null when it is not one.</summary>
    public static Heredoc? Parse(string word)
    {
        var match = Pattern().Match(word ?? "");
        if (!match.Success || match.Groups[3].Value.Length == 0)
        {
            return null;
        }

        var rest = match.Groups[3].Value;
        var name = new StringBuilder();
        var quoted = false;
        char quote = '\0';
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    name.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                quoted = true;
            }
            else if (c == '\\' && i + 1 < rest.Length)
            {
                name.Append(rest[++i]);
            }
            else if (c is ' ' or '\t')
            {
                return null; // Not a single word.
            }
            else
            {
                name.Append(c);
            }
        }

        return name.Length == 0 ? null : new Heredoc(name.ToString(), "", Expand: !quoted, Chomp: match.Groups[2].Value == "-");
    }

    /// <summary>Every line's leading tabs removed (<c>&lt;&lt;-</c>).</summary>
    public static string StripLeadingTabs(string text) => LeadingTabs().Replace(text ?? "", "");

    [GeneratedRegex(@"^(\d*)<<(-?)([^<]*)$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?m)^\t+")]
    private static partial Regex LeadingTabs();
}
