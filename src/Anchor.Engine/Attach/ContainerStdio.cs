using System.IO.Pipes;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Attach;

/// <summary>
/// The monitor's ends of a running container's stdio as raw descriptors for poll(2): the pty master
/// (output and input both) with a terminal, else the stdout and stderr pipes and, with -i, the stdin
/// pipe the monitor keeps open so the container sees no end of file while nobody is attached.
/// The descriptors stay owned by <see cref="StartedContainer"/>; only <see cref="CloseInput"/> closes one.
/// </summary>
public sealed class ContainerStdio
{
    private readonly Action _closeInput;

    private ContainerStdio(IReadOnlyList<(int Fd, AttachStream Stream)> outputs, int input, bool terminal, Action closeInput)
    {
        Outputs = outputs;
        Input = input;
        Terminal = terminal;
        _closeInput = closeInput;
    }

    public IReadOnlyList<(int Fd, AttachStream Stream)> Outputs { get; }

    /// <summary>Where client stdin goes, -1 when the container was not created with -i.</summary>
    public int Input { get; private set; }

    public bool Terminal { get; }

    public static ContainerStdio Of(StartedContainer started, bool openStdin)
    {
        if (started.PtyMaster >= 0)
        {
            return new ContainerStdio([(started.PtyMaster, AttachStream.Stdout)], openStdin ? started.PtyMaster : -1, terminal: true, () => { });
        }

        if (started.Pipes is { } pipes)
        {
            return new ContainerStdio(
                [(pipes.Stdout.Fd, AttachStream.Stdout), (pipes.Stderr.Fd, AttachStream.Stderr)],
                openStdin && pipes.Stdin is { } stdin ? stdin.Fd : -1,
                terminal: false,
                pipes.CloseStdin);
        }

        var process = started.Process ?? throw new InvalidOperationException("the container was started without stdio pipes");
        return new ContainerStdio(
            [(Descriptor(process.StandardOutput.BaseStream), AttachStream.Stdout), (Descriptor(process.StandardError.BaseStream), AttachStream.Stderr)],
            openStdin ? Descriptor(process.StandardInput.BaseStream) : -1,
            terminal: false,
            () => process.StandardInput.Close());
    }

    /// <summary>Closes the container's stdin pipe (StdinOnce); a pty master stays: it is the output too.</summary>
    public void CloseInput()
    {
        if (Input >= 0 && !Terminal)
        {
            _closeInput();
            Input = -1;
        }
    }

    /// <summary>Process hands the redirected stdio out as pipe streams over the raw descriptors.</summary>
    private static int Descriptor(Stream stream) =>
        stream is PipeStream pipe
            ? (int)pipe.SafePipeHandle.DangerousGetHandle()
            : throw new InvalidOperationException($"container stdio is a {stream.GetType().Name}, not a pipe");
}
