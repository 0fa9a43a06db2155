namespace Anchor.Runtime.Launch;

/// <summary>A container process's stdio: its kind, whether stdin stays open (-i), and whether its output is dropped (build -q, exec -d).</summary>
public sealed record LaunchStdio(StdioKind Kind, bool KeepStdin = false, bool Quiet = false)
{
    public static LaunchStdio Of(bool terminal, bool pipes, bool keepStdin) =>
        new(terminal ? StdioKind.Terminal : pipes ? StdioKind.Pipes : StdioKind.Inherit, keepStdin);

    /// <summary>Inherit only: /dev/null on stdout (run -a without stdout).</summary>
    public bool DropStdout { get; init; }

    /// <summary>Inherit only: /dev/null on stderr (run -a without stderr).</summary>
    public bool DropStderr { get; init; }

    /// <summary>
    /// Inherit only: stdout and stderr are pipes the launcher keeps (a foreground run that keeps a
    /// log copies them to its own and to the log), stdin is still the launcher's.
    /// </summary>
    public bool PipeOutput { get; init; }

    /// <summary>
    /// Terminal only: given the pty master on the spawning thread before the child exists, while
    /// the launcher still holds it (runc's --console-socket sends it at create, before start).
    /// The descriptor stays the launcher's; a receiver that keeps it duplicates it (SCM_RIGHTS does).
    /// </summary>
    public Action<int>? TerminalReady { get; init; }
}
