using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The descriptors one spawn gives its child and keeps for the launcher. Made on the spawning
/// thread once it sits in the container's root, so /dev/null and the pty (/dev/ptmx, the
/// container's devpts instance, newinstance) are the container's own. The child's ends are closed
/// here after the spawn; the launcher's go to <see cref="StartedContainer"/>.
/// </summary>
internal sealed class SpawnStdio : IDisposable
{
    private readonly List<OwnedFd> _child = [];
    private OwnedFd? _in;
    private OwnedFd? _out;
    private OwnedFd? _err;
    private OwnedFd? _master;
    private readonly int[] _stdio = [-1, -1, -1];
    private bool _terminal;

    /// <summary>The descriptors for <paramref name="launch"/>; Quiet puts /dev/null on 1 and 2 too (exec -d, build -q).</summary>
    public static SpawnStdio Create(LaunchStdio launch)
    {
        var (kind, keepStdin, quiet) = launch;
        var stdio = new SpawnStdio();
        try
        {
            switch (kind)
            {
                case StdioKind.Terminal:
                    var (master, slave) = Terminal.Open();
                    stdio._master = new OwnedFd(master);
                    var child = stdio.Child(new OwnedFd(slave));
                    stdio._stdio[0] = stdio._stdio[1] = stdio._stdio[2] = child;
                    stdio._terminal = true;
                    // The user's window size, when the launcher has a terminal (a monitor has none).
                    HostTerminal.CopySize(0, master);
                    launch.TerminalReady?.Invoke(master);
                    break;
                case StdioKind.Pipes:
                    if (keepStdin)
                    {
                        var (read, write) = OwnedFd.Pipe();
                        stdio._in = write;
                        stdio._stdio[0] = stdio.Child(read);
                    }
                    else
                    {
                        stdio._stdio[0] = stdio.DevNull();
                    }

                    (stdio._out, stdio._stdio[1]) = stdio.OutputPipe();
                    (stdio._err, stdio._stdio[2]) = stdio.OutputPipe();
                    break;
                default:
                    if (!keepStdin)
                    {
                        stdio._stdio[0] = stdio.DevNull();
                    }

                    if (quiet)
                    {
                        stdio._stdio[1] = stdio._stdio[2] = stdio.DevNull();
                    }
                    else if (launch.PipeOutput)
                    {
                        // The launcher drops an unattached stream itself: it still goes to the log.
                        (stdio._out, stdio._stdio[1]) = stdio.OutputPipe();
                        (stdio._err, stdio._stdio[2]) = stdio.OutputPipe();
                    }
                    else
                    {
                        if (launch.DropStdout)
                        {
                            stdio._stdio[1] = stdio.DevNull();
                        }

                        if (launch.DropStderr)
                        {
                            stdio._stdio[2] = stdio.DevNull();
                        }
                    }

                    break;
            }

            return stdio;
        }
        catch
        {
            stdio.Dispose();
            throw;
        }
    }

    public void ApplyTo(ExecRequest exec)
    {
        exec.SetStdio(_stdio[0], _stdio[1], _stdio[2]);
        if (_terminal)
        {
            exec.AddFlags(AnchorNative.CTTY);
        }
    }

    /// <summary>The child has its copies (or is gone): the launcher's copies of its ends close.</summary>
    public void CloseChildEnds()
    {
        foreach (var fd in _child)
        {
            fd.Dispose();
        }

        _child.Clear();
    }

    /// <summary>The pty master, now the caller's (-1 without a terminal).</summary>
    public int TakeMaster()
    {
        if (_master is null)
        {
            return -1;
        }

        var fd = _master.DangerousGetHandle();
        _master.SetHandleAsInvalid();
        _master = null;
        return (int)fd;
    }

    /// <summary>The launcher's pipe ends, now the caller's (null unless <see cref="StdioKind.Pipes"/>).</summary>
    public ContainerPipes? TakePipes()
    {
        if (_out is null || _err is null)
        {
            return null;
        }

        var pipes = new ContainerPipes(_in, _out, _err);
        _in = _out = _err = null;
        return pipes;
    }

    public void Dispose()
    {
        CloseChildEnds();
        _in?.Dispose();
        _out?.Dispose();
        _err?.Dispose();
        _master?.Dispose();
    }

    private (OwnedFd Parent, int Child) OutputPipe()
    {
        var (read, write) = OwnedFd.Pipe();
        return (read, Child(write));
    }

    private int DevNull() => Child(OwnedFd.Check(LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0), "open", "/dev/null"));

    /// <summary>Keeps a child end, above 2: the exec tail's dup2 onto 0-2 must not overwrite a source.</summary>
    private int Child(OwnedFd fd)
    {
        if (fd.Fd > 2)
        {
            _child.Add(fd);
            return fd.Fd;
        }

        using (fd)
        {
            var high = OwnedFd.Check(LibC.fcntl(fd.Fd, LibC.F_DUPFD_CLOEXEC, 3), "fcntl F_DUPFD_CLOEXEC");
            _child.Add(high);
            return high.Fd;
        }
    }
}
