using Anchor.Linux;

namespace Anchor.Runtime.Launch;

/// <summary>The launcher's ends of a container's stdio pipes: stdin (null unless kept open), stdout, stderr.</summary>
public sealed class ContainerPipes(OwnedFd? stdin, OwnedFd stdout, OwnedFd stderr) : IDisposable
{
    public OwnedFd? Stdin { get; private set; } = stdin;

    public OwnedFd Stdout { get; } = stdout;

    public OwnedFd Stderr { get; } = stderr;

    /// <summary>Closes the container's stdin (StdinOnce: its reads see end of file).</summary>
    public void CloseStdin()
    {
        Stdin?.Dispose();
        Stdin = null;
    }

    public void Dispose()
    {
        Stdin?.Dispose();
        Stdout.Dispose();
        Stderr.Dispose();
    }
}
