using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// Finds the program to execve the way execvp(3) and docker do: a name with a slash is used as is,
/// otherwise each directory of the container's PATH is tried.
/// </summary>
public static class CommandResolver
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Returns the path to exec, or an exit code and docker's message when there is none.</summary>
    public static (string? Path, int ExitCode, string? Error) Resolve(string command, IReadOnlyList<string> env)
    {
        if (command.Length == 0)
        {
            return (null, InitExitCodes.NotFound, "exec: \"\": executable file not found in $PATH");
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            return Check(command, command);
        }

        var path = DefaultPath;
        foreach (var entry in env)
        {
            if (entry.StartsWith("PATH=", StringComparison.Ordinal))
            {
                path = entry[5..];
            }
        }

        foreach (var dir in path.Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, command);
            if (File.Exists(candidate) && LibC.access(candidate, LibC.X_OK) == 0)
            {
                return (candidate, 0, null);
            }
        }

        return (null, InitExitCodes.NotFound, $"exec: \"{command}\": executable file not found in $PATH");
    }

    private static (string? Path, int ExitCode, string? Error) Check(string candidate, string command)
    {
        if (!Directory.Exists(candidate) && !File.Exists(candidate))
        {
            return (null, InitExitCodes.NotFound, $"exec: \"{command}\": stat {command}: no such file or directory");
        }

        // runc looks the program up with Go's exec.LookPath, which refuses a directory or a file
        // with no execute bit (os/exec lp_unix.go findExecutable) before any execve(2).
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (Directory.Exists(candidate) || (File.GetUnixFileMode(candidate) & anyExecute) == 0)
        {
            return (null, InitExitCodes.CannotInvoke, $"exec: \"{command}\": permission denied");
        }

        return (candidate, 0, null);
    }
}
