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
    public static (IReadOnlyList<string>? Stored, bool SystemPathsUnconfined) FromCommandLine(IReadOnlyList<string> given) =>
        Collect(given, readProfileFiles: true);

    /// <summary>
    /// HostConfig.SecurityOpt of an API request: docker's client has already replaced seccomp=FILE
    /// by the file's JSON, so a seccomp value is a profile (or builtin/unconfined), never a path.
    /// </summary>
    public static (IReadOnlyList<string>? Stored, bool SystemPathsUnconfined) FromApi(IReadOnlyList<string> given) =>
        Collect(given, readProfileFiles: false);

    private static (IReadOnlyList<string>? Stored, bool SystemPathsUnconfined) Collect(IReadOnlyList<string> given, bool readProfileFiles)
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
                // docker/cli opts.go parseSecurityOpts: capitalised (the daemon's own "invalid --security-opt 2" is not).
                throw new EngineException($"Invalid --security-opt: \"{opt}\"");
            }

            if (readProfileFiles && key == "seccomp" && value is not (Builtin or Unconfined))
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
            return GoJson.Compact(content);
        }
        catch (FormatException e)
        {
            throw new EngineException($"compacting json for seccomp profile ({path}) failed: {e.Message}");
        }
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
