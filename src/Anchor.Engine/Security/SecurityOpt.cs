using System.Text;
using System.Text.Json;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Security;

/// <summary>
/// --security-opt as docker's client turns it into HostConfig.SecurityOpt (docker/cli
/// cli/command/container/opts.go parseSecurityOpts, parseSystemPaths): every value needs KEY=VALUE
/// (or KEY:VALUE) but no-new-privileges; seccomp=FILE is replaced by seccomp= and the file's JSON,
/// compacted, so the container keeps its profile whatever happens to the file; systempaths=unconfined
/// is not stored but empties the masked and read-only paths. Then the daemon's checks
/// (<see cref="SecurityOptions.Parse"/>) run at once: Anchor has no daemon, so create refuses what
/// docker's daemon would.
/// </summary>
public static class SecurityOpt
{
    public const string Unconfined = "unconfined";
    public const string Builtin = "builtin";
    public const string SystemPathsUnconfined = "systempaths=unconfined";

    /// <param name="given">The values as typed, in order.</param>
    /// <returns>What HostConfig.SecurityOpt holds (null when nothing was given) and whether system paths are unmasked.</returns>
    public static (IReadOnlyList<string>? Stored, bool SystemPathsUnconfined) FromCommandLine(IReadOnlyList<string> given)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (given.Count == 0)
        {
            return (null, false);
        }

        var values = given.ToList();
        for (var i = 0; i < values.Count; i++)
        {
            var opt = values[i];
            var (key, value, ok) = Cut(opt, '=');
            if (!ok && key != "no-new-privileges")
            {
                (key, value, ok) = Cut(opt, ':');
            }

            if ((!ok || value.Length == 0) && key != "no-new-privileges")
            {
                throw new EngineException($"invalid --security-opt: \"{opt}\"");
            }

            if (key == "seccomp" && value is not (Builtin or Unconfined))
            {
                values[i] = "seccomp=" + ReadProfile(value);
            }
        }

        var unmask = values.Remove(SystemPathsUnconfined);
        while (values.Remove(SystemPathsUnconfined))
        {
        }

        var stored = (IReadOnlyList<string>)values;
        var options = SecurityOptions.Parse(stored);
        if (options.HasCustomSeccompProfile)
        {
            // docker's daemon decodes the profile when the container starts; refusing it at create
            // saves a container that could never start.
            _ = SeccompProfiles.Decode(options.SeccompProfile!);
        }

        return (stored, unmask);
    }

    /// <summary>The file's JSON without insignificant white space (Go's json.Compact), or docker's error.</summary>
    public static string ReadProfile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] content;
        try
        {
            content = ReadFile(path);
        }
        catch (LinuxException e)
        {
            throw new EngineException($"opening seccomp profile ({path}) failed: {e.Message}");
        }

        try
        {
            return Compact(content);
        }
        catch (FormatException e)
        {
            throw new EngineException($"compacting json for seccomp profile ({path}) failed: {e.Message}");
        }
    }

    /// <summary>Go's json.Compact: the same text less white space outside strings; FormatException for invalid JSON.</summary>
    public static string Compact(ReadOnlySpan<byte> json)
    {
        // Validate first (one value, nothing after it), then drop the white space.
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw new FormatException(SyntaxError(json, e), e);
        }

        var output = new StringBuilder(json.Length);
        var text = Encoding.UTF8.GetString(json);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\')
                {
                    output.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c is not (' ' or '\t' or '\n' or '\r'))
            {
                output.Append(c);
                inString = c == '"';
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// Where the JSON went wrong, in words (the published binary has no resource strings, so
    /// System.Text.Json's own messages are only keys): Go says "invalid character 'x' …" and
    /// "unexpected end of JSON input".
    /// </summary>
    private static string SyntaxError(ReadOnlySpan<byte> json, JsonException e)
    {
        var line = e.LineNumber ?? 0;
        var column = e.BytePositionInLine ?? 0;
        var offset = 0L;
        for (var l = 0L; l < line && offset < json.Length; offset++)
        {
            if (json[(int)offset] == '\n')
            {
                l++;
            }
        }

        offset += column;
        return offset >= json.Length
            ? "unexpected end of JSON input"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"invalid character '{(char)json[(int)offset]}' at line {line + 1}, column {column + 1}");
    }

    /// <summary>open(2) and read(2), so the error reads as Go's ("open PATH: no such file or directory").</summary>
    private static unsafe byte[] ReadFile(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw LinuxException.FromLastError("open", path);
        }

        try
        {
            using var content = new MemoryStream();
            var buffer = new byte[65536];
            while (true)
            {
                nint n;
                fixed (byte* p = buffer)
                {
                    n = LibC.read(fd, p, buffer.Length);
                }

                if (n < 0)
                {
                    throw LinuxException.FromLastError("read", path);
                }

                if (n == 0)
                {
                    return content.ToArray();
                }

                content.Write(buffer, 0, (int)n);
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static (string Key, string Value, bool Found) Cut(string text, char separator)
    {
        var at = text.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? (text, "", false) : (text[..at], text[(at + 1)..], true);
    }
}
