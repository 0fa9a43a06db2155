using System.Text.Json;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Runtimes;

/// <summary>
/// An external runc-compatible runtime driven by its command line, as containerd's runc shim
/// drives runc (go-runc): global flags first (the table's runtimeArgs, then <c>--root</c> and a
/// JSON <c>--log</c>), then the command. A failure is read back from the log's last error line,
/// where runc, crun and anchor-runc all write it (logrus's JSON: {"level":"error","msg":…}).
/// </summary>
/// <param name="stateRoot">The runtime's --root: one per store and runtime, as dockerd's runtime-runc/moby.</param>
public sealed class RuntimeProgram(string path, IReadOnlyList<string> runtimeArgs, string stateRoot, string logFile)
{
    public string Path { get; } = path;

    public static RuntimeProgram For(AnchorPaths paths, Run.RunOptions options, string id)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        var path = options.RuntimePath ?? throw new EngineException($"container {id[..12]} has no external runtime");
        // The state of each program apart: two runtimes need not agree on its layout.
        var name = System.IO.Path.GetFileName(path);
        return new RuntimeProgram(path, options.RuntimeArgs, System.IO.Path.Combine(paths.RunRoot, "runtimes", name),
            System.IO.Path.Combine(paths.ContainerDirectory(id), "runtime.log"));
    }

    /// <summary>Runs one command to its end with the given stdio (-1: /dev/null); the exit code, or the error it logged.</summary>
    public (int ExitCode, string? Error) Run(IReadOnlyList<string> command, int stdin = -1, int stdout = -1, int stderr = -1)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(logFile)!);
        File.WriteAllBytes(logFile, []);
        using var devNull = OwnedFd.Check(LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0), "open", "/dev/null");
        List<string> args = [.. runtimeArgs, "--root", stateRoot, "--log", logFile, "--log-format", "json", .. command];
        var env = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").ToList();
        int pid;
        try
        {
            pid = StdioProcess.Start(Path, args, env, Or(stdin, devNull), Or(stdout, devNull), Or(stderr, devNull));
        }
        catch (LinuxException e)
        {
            return (ExitCodes.EngineError, $"cannot run the runtime {Path}: {e.Message}");
        }

        var code = Sys.WaitForExitNoReap(pid) ?? ExitCodes.EngineError;
        Sys.Reap(pid, block: true);
        return code == 0 ? (0, null) : (code, LastError() ?? $"{System.IO.Path.GetFileName(Path)} {command[0]} exited with status {code}");
    }

    /// <summary>Like <see cref="Run"/>, but a failure is thrown as docker's daemon reports a runtime's.</summary>
    public void Must(IReadOnlyList<string> command)
    {
        var (code, error) = Run(command);
        if (code != 0)
        {
            throw EngineException.Daemon(EngineErrorKind.Internal, error!);
        }
    }

    private static int Or(int fd, OwnedFd fallback) => fd >= 0 ? fd : fallback.Fd;

    private string? LastError()
    {
        string? last = null;
        try
        {
            foreach (var line in File.ReadLines(logFile))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object
                        && doc.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                        && doc.RootElement.TryGetProperty("msg", out var msg))
                    {
                        last = msg.GetString();
                    }
                }
                catch (JsonException)
                {
                    last = line.Length > 0 ? line : last; // a runtime that ignores --log-format
                }
            }
        }
        catch (IOException)
        {
        }

        return last;
    }
}
