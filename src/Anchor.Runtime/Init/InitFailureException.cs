namespace Anchor.Runtime.Init;

/// <summary>A failure of the init stage that carries the exit code docker would give it.</summary>
public sealed class InitFailureException : Exception
{
    public InitFailureException(int exitCode, string message) : base(message) => ExitCode = exitCode;

    public InitFailureException() { }

    public InitFailureException(string message) : base(message) { }

    public InitFailureException(string message, Exception inner) : base(message, inner) { }

    public int ExitCode { get; } = InitExitCodes.SetupFailed;
}
