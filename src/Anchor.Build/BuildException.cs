namespace Anchor.Build;

/// <summary>
/// A build failure: the message is the one line printed; <see cref="ExitCode"/> is the failing
/// RUN's own code, or 1 as docker build exits for every other failure.
/// </summary>
public sealed class BuildException : Exception
{
    public BuildException(string message, int exitCode = 1) : base(message) => ExitCode = exitCode;

    public BuildException() { }

    public BuildException(string message) : base(message) { }

    public BuildException(string message, Exception inner) : base(message, inner) { }

    public int ExitCode { get; } = 1;
}
