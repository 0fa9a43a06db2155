namespace Anchor.Runtime.Launch;

/// <summary>A container process's stdio: its kind, whether stdin stays open (-i), and whether its output is dropped (build -q, exec -d).</summary>
public sealed record LaunchStdio(StdioKind Kind, bool KeepStdin = false, bool Quiet = false)
{
    public static LaunchStdio Of(bool terminal, bool pipes, bool keepStdin) =>
        new(terminal ? StdioKind.Terminal : pipes ? StdioKind.Pipes : StdioKind.Inherit, keepStdin);
}
