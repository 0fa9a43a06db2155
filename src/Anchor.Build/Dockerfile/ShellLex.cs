using System.Text;

namespace Anchor.Build.Dockerfile;

/// <summary>
/// Dockerfile variable expansion (buildkit frontend/dockerfile/shell/lex.go): <c>$V</c>, <c>${V}</c>,
/// <c>${V:-word}</c>, <c>${V-word}</c>, <c>${V:+word}</c>, <c>${V+word}</c>, <c>${V:?msg}</c>;
/// single quotes are literal, double quotes expand, the escape character quotes the next
/// character (inside double quotes only <c>"</c>, <c>$</c> and itself). Quotes are removed.
/// Unset variables expand to nothing.
/// </summary>
public sealed class ShellLex(Func<string, string?> lookup, char escape = '\\')
{
    /// <summary>Expands one word (the whole text), whitespace kept.</summary>
    public string ProcessWord(string text) => string.Join("", Process(text ?? "", split: false));

    /// <summary>Expands and splits on whitespace outside quotes (COPY sources, EXPOSE, VOLUME).</summary>
    public IReadOnlyList<string> ProcessWords(string text) => Process(text ?? "", split: true);

    /// <summary>
    /// Expands variables in a here-document's content: quotes are plain characters there, only the
    /// escape character and <c>$</c> are special (BuildKit expands COPY heredocs with SkipProcessQuotes).
    /// </summary>
    public string ProcessContent(string text) => string.Join("", Process(text ?? "", split: false, rawQuotes: true));

    private List<string> Process(string s, bool split, bool rawQuotes = false)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        void End()
        {
            if (inWord)
            {
                words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
        }

        while (i < s.Length)
        {
            var c = s[i];
            if (c == escape)
            {
                inWord = true;
                if (i + 1 < s.Length)
                {
                    current.Append(s[i + 1]);
                    i += 2;
                }
                else
                {
                    current.Append(c);
                    i++;
                }
            }
            else if (rawQuotes && c is '\'' or '"')
            {
                current.Append(c);
                i++;
            }
            else if (c == '\'')
            {
                inWord = true;
                var close = s.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    throw new BuildException("unexpected end of statement while looking for matching single-quote");
                }

                current.Append(s, i + 1, close - i - 1);
                i = close + 1;
            }
            else if (c == '"')
            {
                inWord = true;
                i = DoubleQuoted(s, i + 1, current);
            }
            else if (c == '$')
            {
                inWord = true;
                var value = Dollar(s, ref i);
                if (split)
                {
                    // An unquoted expansion is split like the rest of the text.
                    foreach (var ch in value)
                    {
                        if (ch is ' ' or '\t' or '\n')
                        {
                            End();
                        }
                        else
                        {
                            current.Append(ch);
                            inWord = true;
                        }
                    }
                }
                else
                {
                    current.Append(value);
                }
            }
            else if (split && c is ' ' or '\t' or '\n')
            {
                End();
                i++;
            }
            else
            {
                inWord = true;
                current.Append(c);
                i++;
            }
        }

        if (!split)
        {
            return [current.ToString()];
        }

        End();
        return words;
    }

    private int DoubleQuoted(string s, int i, StringBuilder current)
    {
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c == escape && i + 1 < s.Length && (s[i + 1] == '"' || s[i + 1] == '$' || s[i + 1] == escape))
            {
                current.Append(s[i + 1]);
                i += 2;
            }
            else if (c == '$')
            {
                current.Append(Dollar(s, ref i));
            }
            else
            {
                current.Append(c);
                i++;
            }
        }

        throw new BuildException("unexpected end of statement while looking for matching double-quote");
    }

    /// <summary>Expands the reference starting at s[i] == '$' and moves i past it.</summary>
    private string Dollar(string s, ref int i)
    {
        i++;
        if (i >= s.Length)
        {
            return "$";
        }

        if (s[i] != '{')
        {
            var start = i;
            if (char.IsAsciiDigit(s[i]))
            {
                // A positional parameter ($9, $10): never set in a Dockerfile, so empty, as
                // BuildKit's shell lexer reads it (processName: the digits, then the lookup).
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                return lookup(s[start..i]) ?? "";
            }

            if (SpecialParameters.Contains(s[i]))
            {
                // $$, $?, $#, …: one character, looked up like a name (POSIX 2.5.2 special parameters).
                i++;
                return lookup(s[start..i]) ?? "";
            }

            while (i < s.Length && IsNameChar(s[i], i == start))
            {
                i++;
            }

            return i == start ? "$" : lookup(s[start..i]) ?? "";
        }

        i++;
        var nameStart = i;
        while (i < s.Length && IsNameChar(s[i], i == nameStart))
        {
            i++;
        }

        var name = s[nameStart..i];
        if (name.Length == 0 || i >= s.Length)
        {
            throw new BuildException($"failed to process \"{s}\": missing '}}'");
        }

        if (s[i] == '}')
        {
            i++;
            return lookup(name) ?? "";
        }

        var colon = s[i] == ':';
        if (colon)
        {
            i++;
        }

        if (i >= s.Length)
        {
            throw new BuildException($"failed to process \"{s}\": missing '}}'");
        }

        var op = s[i++];
        var wordStart = i;
        var depth = 1;
        while (i < s.Length)
        {
            if (s[i] == escape)
            {
                i += 2;
                continue;
            }

            if (s[i] == '{')
            {
                depth++;
            }
            else if (s[i] == '}' && --depth == 0)
            {
                break;
            }

            i++;
        }

        if (i >= s.Length)
        {
            throw new BuildException($"failed to process \"{s}\": missing '}}'");
        }

        var word = s[wordStart..i];
        i++;
        var value = lookup(name);
        var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
        return op switch
        {
            '-' => set ? value! : ProcessWord(word),
            '+' => set ? ProcessWord(word) : "",
            '?' => set ? value! : throw new BuildException($"failed to process \"{s}\": {name}: {(word.Length == 0 ? "is not allowed to be unset" : ProcessWord(word))}"),
            _ => throw new BuildException($"failed to process \"{s}\": unsupported modifier ({op}) in substitution"),
        };
    }

    /// <summary>The special parameters BuildKit's lexer reads after '$' (isSpecialParam).</summary>
    private const string SpecialParameters = "@*#?-$!0";

    private static bool IsNameChar(char c, bool first) =>
        c == '_' || char.IsAsciiLetter(c) || (!first && char.IsAsciiDigit(c));
}
