using System.Text;

namespace Anchor.Engine.Run;

/// <summary>
/// <c>--env-file</c> and <c>-e</c> as docker's CLI reads them (docker/cli pkg/kvfile and
/// opts.ValidateEnv). A file: valid UTF-8 (a BOM on the first line is dropped), lines split at
/// '\n' (a '\r' before it is dropped), leading whitespace removed, blank lines and '#' comments
/// skipped, <c>NAME=value</c> kept as written (trailing whitespace is part of the value), a bare
/// <c>NAME</c> takes its value from anchor's own environment or is left out. A line with no name
/// (<c>=value</c>) or a name with a space or tab fails the whole file.
/// </summary>
public static class EnvFile
{
    /// <summary>bufio.MaxScanTokenSize: docker's scanner gives up on a longer line.</summary>
    private const int MaxLine = 64 * 1024;

    private static readonly Func<string, string?> HostLookup = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// The environment a verb's <c>--env-file</c> and <c>-e</c> give, files first so that <c>-e</c>
    /// overrides them. A bad <c>-e</c> is a flag error (125); a bad file fails with docker's message
    /// as it is (opts.ReadKVEnvStrings) and <paramref name="fileExitCode"/> (run and create exit
    /// 125, exec 1).
    /// </summary>
    public static List<string> Collect(IEnumerable<string> files, IEnumerable<string> entries, int fileExitCode)
    {
        // docker validates -e while it parses the flags, before it reads any file.
        var fromFlags = entries.Select(FromArgument).ToList();
        var env = new List<string>();
        foreach (var file in files)
        {
            try
            {
                env.AddRange(Read(file, HostLookup));
            }
            catch (FormatException e)
            {
                throw new EngineException(e.Message, fileExitCode);
            }
        }

        env.AddRange(fromFlags);
        return env;
    }

    /// <summary>
    /// One <c>-e</c> value (opts.ValidateEnv): an empty name is refused; <c>NAME</c> without '='
    /// takes anchor's value of NAME, or stays bare when NAME is unset, which unsets it in the
    /// container (docker's daemon drops such a name from the image's environment).
    /// </summary>
    public static string FromArgument(string entry)
    {
        var eq = entry.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? entry : entry[..eq];
        if (name.Length == 0)
        {
            throw new EngineException($"invalid argument \"{entry}\" for \"-e, --env\" flag: invalid environment variable: {entry}");
        }

        return eq >= 0 || HostLookup(name) is not { } value ? entry : $"{name}={value}";
    }

    /// <summary>Reads and parses one file; failures are <see cref="FormatException"/>s carrying docker's message.</summary>
    public static IReadOnlyList<string> Read(string path, Func<string, string?> lookup)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Go's error texts, as docker prints them: os.Open succeeds on a directory and the read fails.
            if (Directory.Exists(path))
            {
                throw new FormatException($"invalid env file ({path}): read {path}: is a directory");
            }

            var reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            throw new FormatException($"open {path}: {reason}");
        }

        try
        {
            return Parse(content, lookup);
        }
        catch (FormatException e)
        {
            throw new FormatException($"invalid env file ({path}): {e.Message}");
        }
    }

    /// <summary>The file's entries (pkg/kvfile's rules); a <see cref="FormatException"/> says what is wrong.</summary>
    public static IReadOnlyList<string> Parse(ReadOnlySpan<byte> content, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var result = new List<string>();
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        for (var number = 1; content.Length > 0; number++)
        {
            var end = content.IndexOf((byte)'\n');
            var raw = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (raw.Length >= MaxLine)
            {
                throw new FormatException("bufio.Scanner: token too long");
            }

            if (raw.Length > 0 && raw[^1] == (byte)'\r')
            {
                raw = raw[..^1];
            }

            string text;
            try
            {
                text = strict.GetString(raw);
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException($"invalid utf8 bytes at line {number}: [{string.Join(' ', raw.ToArray())}]");
            }

            if (number == 1 && text.StartsWith('\uFEFF'))
            {
                text = text[1..];
            }

            // Leading whitespace goes (unicode.IsSpace and char.IsWhiteSpace are the same set);
            // trailing whitespace belongs to the value.
            var line = text.TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? line : line[..eq];
            if (name.Length == 0)
            {
                throw new FormatException($"no variable name on line '{line}'");
            }

            if (name.AsSpan().IndexOfAny(' ', '\t') >= 0)
            {
                throw new FormatException($"variable '{name}' contains whitespaces");
            }

            if (eq >= 0)
            {
                result.Add(line);
            }
            else if (lookup(name) is { } value)
            {
                result.Add($"{name}={value}");
            }
        }

        return result;
    }
}
