using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Anchor.Build.Dockerfile;

/// <summary>
/// The Dockerfile language as docker's parser reads it (moby/buildkit frontend/dockerfile/parser):
/// parser directives at the very top (<c># escape=</c> honoured, <c># syntax=</c> and others ignored),
/// comment lines (also inside a continuation), the escape character at the end of a line joining it
/// with the next, shell and JSON (exec) forms, <c>--flags</c>, ARG before the first FROM.
/// Every error names the file and the line: <c>Dockerfile:3: unknown instruction: FOO</c>.
/// </summary>
public static partial class DockerfileParser
{
    private static readonly HashSet<string> Known =
    [
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
        "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ];

    private static readonly Dictionary<string, string[]> AllowedFlags = new()
    {
        ["FROM"] = ["platform"],
        ["RUN"] = ["mount", "network", "security"],
        ["COPY"] = ["from", "chown", "chmod", "link", "parents", "exclude"],
        ["ADD"] = ["chown", "chmod", "link", "checksum", "keep-git-dir", "exclude"],
        ["HEALTHCHECK"] = ["interval", "timeout", "start-period", "start-interval", "retries"],
    };

    private static readonly HashSet<string> JsonForms = ["RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"];

    /// <summary>
    /// The longest instruction accepted, continuations joined: docker's parser reads lines with
    /// Go's bufio.Scanner and fails beyond its MaxScanTokenSize with this size in the message;
    /// far longer lines only make images whose containers cannot start (execve(2) E2BIG).
    /// </summary>
    public const int MaxLineBytes = 64 * 1024;

    public static DockerfileDocument Parse(string text, string file = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        var instructions = new List<Instruction>();
        var escape = '\\';
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var directives = true;
        StringBuilder? pending = null;
        var start = 0;
        var pendingBytes = 0L;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (directives)
            {
                var match = DirectivePattern().Match(line);
                if (match.Success)
                {
                    if (match.Groups[1].Value.Equals("escape", StringComparison.OrdinalIgnoreCase))
                    {
                        var value = match.Groups[2].Value;
                        escape = value is "\\" or "`"
                            ? value[0]
                            : throw Error(file, i + 1, $"invalid escape token '{value}' does not match ` or \\");
                    }

                    continue; // syntax= and unknown directives are ignored, as docker does.
                }

                directives = false;
            }

            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('#'))
            {
                continue; // A comment, also between continued lines.
            }

            if (pending is null)
            {
                if (trimmed.Length == 0)
                {
                    continue;
                }

                pending = new StringBuilder();
                start = i + 1;
                pendingBytes = 0;
            }
            else if (trimmed.Length == 0)
            {
                continue; // An empty continuation line (docker warns and goes on).
            }

            var end = line.TrimEnd();
            var continued = end.Length > 0 && end[^1] == escape;
            pendingBytes += continued ? Encoding.UTF8.GetByteCount(end.AsSpan(0, end.Length - 1)) : Encoding.UTF8.GetByteCount(line);
            if (pendingBytes > MaxLineBytes)
            {
                throw Error(file, start, $"dockerfile line greater than max allowed size of {MaxLineBytes}");
            }

            if (continued)
            {
                pending.Append(end, 0, end.Length - 1);
                continue;
            }

            pending.Append(line);
            var instruction = ParseInstruction(pending.ToString(), start, file, escape);
            if (HeredocSyntax.CanContain(instruction))
            {
                instruction = ReadHeredocs(instruction, lines, ref i, file);
            }

            instructions.Add(instruction);
            pending = null;
        }

        if (pending is not null && pending.ToString().Trim().Length > 0)
        {
            instructions.Add(ParseInstruction(pending.ToString(), start, file, escape));
        }

        return Group(instructions, file, escape);
    }

    /// <summary>
    /// Reads the bodies of the instruction's here-documents from the lines after it, one after the
    /// other, each up to the line that is its delimiter (tabs before it ignored for <c>&lt;&lt;-</c>);
    /// the lines are taken as they are: no comments, continuations nor directives (BuildKit parser.Parse).
    /// </summary>
    private static Instruction ReadHeredocs(Instruction instruction, string[] lines, ref int i, string file)
    {
        var found = HeredocSyntax.Find(instruction.Arguments);
        var read = new List<Heredoc>();
        foreach (var heredoc in found)
        {
            var content = new StringBuilder();
            var terminated = false;
            while (++i < lines.Length)
            {
                var candidate = heredoc.Chomp ? lines[i].TrimStart('\t') : lines[i];
                if (candidate == heredoc.Name)
                {
                    terminated = true;
                    break;
                }

                content.Append(lines[i]).Append('\n');
            }

            if (!terminated)
            {
                throw Error(file, instruction.Line, "unterminated heredoc");
            }

            read.Add(heredoc with { Content = content.ToString() });
        }

        return instruction with { Heredocs = read };
    }

    /// <summary>
    /// An ONBUILD trigger as the image config keeps it: its first line the instruction, then the
    /// bodies of its here-documents, each closed by its delimiter (BuildKit parseOnBuild).
    /// </summary>
    public static Instruction ParseTrigger(string text, int line, string file = "Dockerfile", char escape = '\\')
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var instruction = ParseInstruction(lines[0], line, file, escape);
        if (lines.Length > 1 && HeredocSyntax.CanContain(instruction))
        {
            var i = 0;
            instruction = ReadHeredocs(instruction, lines, ref i, file);
        }

        return instruction;
    }

    /// <summary>Parses one instruction on its own (ONBUILD triggers, docker commit --change).</summary>
    /// <param name="escape">The document's escape character (<c># escape=</c>): it also quotes a space in ENV, LABEL and ARG words.</param>
    public static Instruction ParseInstruction(string text, int line, string file = "Dockerfile", char escape = '\\')
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.Trim();
        var split = body.IndexOfAny([' ', '\t']);
        var word = split < 0 ? body : body[..split];
        var keyword = word.ToUpperInvariant();
        var rest = split < 0 ? "" : body[split..].TrimStart();
        if (!Known.Contains(keyword))
        {
            throw Error(file, line, $"unknown instruction: {keyword}");
        }

        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var flagList = new List<KeyValuePair<string, string>>();
        if (AllowedFlags.TryGetValue(keyword, out var allowed))
        {
            while (rest.StartsWith("--", StringComparison.Ordinal))
            {
                var end = rest.IndexOfAny([' ', '\t']);
                var token = end < 0 ? rest : rest[..end];
                rest = end < 0 ? "" : rest[end..].TrimStart();
                var eq = token.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? token[2..] : token[2..eq];
                if (!allowed.Contains(name))
                {
                    throw Error(file, line, $"unknown flag: {name}");
                }

                flags[name] = eq < 0 ? "true" : token[(eq + 1)..];
                flagList.Add(new(name, flags[name]));
            }
        }

        IReadOnlyList<string>? json = null;
        if (JsonForms.Contains(keyword) && rest.StartsWith('[') && TryJsonArray(rest, out var items))
        {
            json = items;
        }

        var instruction = new Instruction
        {
            Keyword = keyword,
            Arguments = rest,
            Json = json,
            Flags = flags,
            AllFlags = flagList,
            Line = line,
            Original = flags.Count == 0 ? $"{keyword} {rest}".TrimEnd() : $"{keyword} {string.Join(' ', flagList.Select(f => $"--{f.Key}={f.Value}"))} {rest}".TrimEnd(),
        };
        return Validate(instruction, file, escape);
    }

    private static Instruction Validate(Instruction i, string file, char escape)
    {
        string? Check() => i.Keyword switch
        {
            "FROM" => Words(i.Arguments).Count is 1 or 3 && (Words(i.Arguments).Count == 1 || Words(i.Arguments)[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                ? null : "FROM requires either one or three arguments",
            "RUN" or "CMD" or "ENTRYPOINT" or "USER" or "WORKDIR" or "STOPSIGNAL" or "EXPOSE" or "VOLUME" or "MAINTAINER" or "ONBUILD" or "HEALTHCHECK"
                when i.Arguments.Length == 0 => $"{i.Keyword} requires at least one argument",
            "COPY" or "ADD" when (i.Json ?? Words(i.Arguments)).Count < 2 =>
                $"{i.Keyword} requires at least two arguments, but only one was provided. Destination could not be determined.",
            "SHELL" when i.Json is null => "SHELL requires the arguments to be in JSON form",
            "USER" or "STOPSIGNAL" when Words(i.Arguments).Count != 1 => $"{i.Keyword} requires exactly one argument",
            "HEALTHCHECK" => CheckHealthcheck(i.Arguments),
            "ONBUILD" => CheckOnBuild(i.Arguments),
            _ => null,
        };

        if (Check() is { } message)
        {
            throw Error(file, i.Line, message);
        }

        return i.Keyword switch
        {
            "ENV" or "LABEL" => i with { Pairs = NameValues(i, file, escape) },
            "ARG" => i with { Pairs = Args(i, file, escape) },
            _ => i,
        };
    }

    private static string? CheckHealthcheck(string args)
    {
        var first = Words(args).FirstOrDefault()?.ToUpperInvariant();
        return first switch
        {
            "NONE" when Words(args).Count == 1 => null,
            "NONE" => "HEALTHCHECK NONE takes no arguments",
            "CMD" when Words(args).Count > 1 => null,
            "CMD" => "Missing command after HEALTHCHECK CMD",
            _ => $"Unknown type \"{first}\" in HEALTHCHECK (try CMD)",
        };
    }

    private static string? CheckOnBuild(string args)
    {
        var trigger = Words(args).FirstOrDefault()?.ToUpperInvariant();
        return trigger switch
        {
            "ONBUILD" => "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            "FROM" or "MAINTAINER" => $"{trigger} isn't allowed as an ONBUILD trigger",
            _ when trigger is null || !Known.Contains(trigger) => $"unknown instruction: {trigger}",
            _ => null,
        };
    }

    private static List<KeyValuePair<string, string?>> NameValues(Instruction i, string file, char escape)
    {
        var words = QuotedWords(i.Arguments, escape);
        if (words.Count == 0)
        {
            throw Error(file, i.Line, $"{i.Keyword} requires at least one argument");
        }

        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            // The legacy form "ENV name value…": the rest of the line is the value.
            var space = i.Arguments.IndexOfAny([' ', '\t']);
            if (space < 0)
            {
                throw Error(file, i.Line, $"{i.Keyword} must have two arguments");
            }

            return [new(i.Arguments[..space], i.Arguments[space..].Trim())];
        }

        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw Error(file, i.Line, $"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            }

            if (eq == 0)
            {
                throw Error(file, i.Line, $"{i.Keyword} names can not be blank");
            }

            pairs.Add(new(word[..eq], word[(eq + 1)..]));
        }

        return pairs;
    }

    private static List<KeyValuePair<string, string?>> Args(Instruction i, string file, char escape)
    {
        var words = QuotedWords(i.Arguments, escape);
        if (words.Count == 0)
        {
            throw Error(file, i.Line, "ARG requires at least one argument");
        }

        return [.. words.Select(w =>
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            return eq == 0
                ? throw Error(file, i.Line, "ARG names can not be blank")
                : new KeyValuePair<string, string?>(eq < 0 ? w : w[..eq], eq < 0 ? null : w[(eq + 1)..]);
        })];
    }

    private static DockerfileDocument Group(List<Instruction> instructions, string file, char escape)
    {
        if (instructions.Count == 0)
        {
            throw new BuildException($"{file}: file with no instructions");
        }

        var meta = new List<Instruction>();
        var stages = new List<Stage>();
        Instruction? from = null;
        var commands = new List<Instruction>();
        void Close()
        {
            if (from is null)
            {
                return;
            }

            var words = Words(from.Arguments);
            var name = words.Count == 3 ? words[2].ToLowerInvariant() : null;
            if (name is not null && !StageNamePattern().IsMatch(name))
            {
                throw Error(file, from.Line, $"invalid name for build stage: \"{words[2]}\", name can't start with a number or contain symbols");
            }

            if (name is not null && stages.Any(s => s.Name == name))
            {
                throw Error(file, from.Line, $"duplicate name {name}");
            }

            stages.Add(new Stage(stages.Count, words[0], name, from, [.. commands]));
            commands.Clear();
        }

        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                Close();
                from = instruction;
            }
            else if (from is null)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw Error(file, instruction.Line, "no build stage in current context");
                }

                meta.Add(instruction);
            }
            else
            {
                commands.Add(instruction);
            }
        }

        if (from is null)
        {
            throw Error(file, instructions[^1].Line, "no build stage in current context");
        }

        Close();
        return new DockerfileDocument(meta, stages, escape);
    }

    /// <summary>Whitespace-separated words, quotes left alone.</summary>
    public static List<string> Words(string text) =>
        [.. (text ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Words split on whitespace outside quotes; quotes and escapes are kept for the expansion step.</summary>
    public static List<string> QuotedWords(string text, char escape = '\\')
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == escape && i + 1 < text.Length && quote != '\'')
            {
                current.Append(c).Append(text[++i]);
                continue;
            }

            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                current.Append(c);
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
                current.Append(c);
            }
            else if (c is ' ' or '\t')
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    public static bool TryJsonArray(string value, out List<string> items)
    {
        items = [];
        try
        {
            using var doc = JsonDocument.Parse(value ?? "");
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                items.Add(element.GetString()!);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static BuildException Error(string file, int line, string message) => new($"{file}:{line}: {message}");

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*$")]
    private static partial Regex StageNamePattern();
}
