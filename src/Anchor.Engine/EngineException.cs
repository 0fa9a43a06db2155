namespace Anchor.Engine;

/// <summary>
/// A failure the user caused or must act on: the message is docker's text of it (without any
/// front end's decoration), the kind says what class of failure it is, the exit code is docker's
/// (125 engine error, 126 cannot invoke, 127 not found). How it is shown is the caller's business:
/// the CLI prints "Error response from daemon: " before the failures docker's daemon reports
/// (<see cref="FromDaemon"/>), the API answers with the kind's HTTP status.
/// </summary>
public sealed class EngineException : Exception
{
    public EngineException(string message, int exitCode = ExitCodes.EngineError) : base(message) => ExitCode = exitCode;

    public EngineException() { }

    public EngineException(string message) : base(message) { }

    public EngineException(string message, Exception inner) : base(message, inner) { }

    public int ExitCode { get; } = ExitCodes.EngineError;

    /// <summary>The class of the failure (docker's errdefs), from which a front end picks its status.</summary>
    public EngineErrorKind Kind { get; init; }

    /// <summary>
    /// Whether docker reports this failure from its daemon (its CLI then prints it after
    /// "Error response from daemon: "), as opposed to a check docker's client makes itself.
    /// </summary>
    public bool FromDaemon { get; init; }

    /// <summary>The object named does not exist (docker's errdefs.NotFound): rm -f ignores it.</summary>
    public bool NotFound => Kind == EngineErrorKind.NotFound;

    /// <summary>
    /// The container's start failed (docker's ContainerStart, not its create): docker's CLI prints
    /// such an error without the "See 'docker run --help'." hint.
    /// </summary>
    public bool StartFailure { get; init; }

    /// <summary>A failure docker's daemon reports, of the given kind.</summary>
    public static EngineException Daemon(EngineErrorKind kind, string message, int exitCode = ExitCodes.EngineError) =>
        new(message, exitCode) { Kind = kind, FromDaemon = true };

    /// <summary>docker's "No such container: NAME" (exit 1).</summary>
    public static EngineException NoSuchContainer(string nameOrId) => new($"No such container: {nameOrId}", 1) { Kind = EngineErrorKind.NotFound };

    /// <summary>
    /// The same failure, raised where docker raises it at the container's start rather than at its
    /// create (the network, --ip, the user and groups, the log driver's options): no usage hint.
    /// </summary>
    public EngineException AtStart() =>
        new(Message, ExitCode) { Kind = Kind, FromDaemon = FromDaemon, StartFailure = true };

    /// <summary>
    /// The same failure as docker's daemon reports it (its CLI then prints "Error response from
    /// daemon: "): a lookup shared with client-side checks, made here on the daemon's behalf.
    /// </summary>
    public EngineException AsDaemon() =>
        new(Message, ExitCode) { Kind = Kind, FromDaemon = true, StartFailure = StartFailure };

    /// <summary>The same failure with another message (a context prepended): kind, origin and exit code kept.</summary>
    public EngineException WithMessage(string message) =>
        new(message, ExitCode) { Kind = Kind, FromDaemon = FromDaemon, StartFailure = StartFailure };
}
