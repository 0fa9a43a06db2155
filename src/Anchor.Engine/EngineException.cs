namespace Anchor.Engine;

/// <summary>
/// A failure the user caused or must act on: the message is the one line the CLI prints, the exit
/// code is docker's (125 engine error, 126 cannot invoke, 127 not found).
/// </summary>
public sealed class EngineException : Exception
{
    public EngineException(string message, int exitCode = ExitCodes.EngineError) : base(message) => ExitCode = exitCode;

    public EngineException() { }

    public EngineException(string message) : base(message) { }

    public EngineException(string message, Exception inner) : base(message, inner) { }

    public int ExitCode { get; } = ExitCodes.EngineError;

    /// <summary>The object named does not exist (docker's errdefs.NotFound): rm -f ignores it.</summary>
    public bool NotFound { get; private init; }

    /// <summary>
    /// The container's start failed (docker's ContainerStart, not its create): docker's CLI prints
    /// such an error without the "See 'docker run --help'." hint.
    /// </summary>
    public bool StartFailure { get; init; }

    /// <summary>
    /// The failure happened on docker's daemon side of create (or in the client's pull there):
    /// docker's create prints such an error as it is and exits 1 (cli/command/container/create.go
    /// returns it unwrapped; only run turns it into "docker: …" and 125).
    /// </summary>
    public bool FromDaemon { get; init; }

    /// <summary>docker's "No such container: NAME" (exit 1).</summary>
    public static EngineException NoSuchContainer(string nameOrId) => new($"No such container: {nameOrId}", 1) { NotFound = true };
}
