using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Attach;

/// <summary>
/// The client side of the attach socket (anchor attach, start -a): frames from the monitor go to our
/// stdout and stderr; our stdin goes to the container through the detach-key matcher; with a
/// terminal the host terminal is raw and its size follows SIGWINCH; without one, signals are proxied
/// to the container (kill(2) of its init: anchor is daemonless, the CLI may signal it itself).
/// </summary>
public sealed unsafe class AttachSession : IDisposable
{
    private readonly int _socket;
    private readonly AttachOptions _options;
    private readonly bool _terminal;
    private readonly Func<int> _containerPid;
    private readonly Lock _sending = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private HostTerminal? _raw;
    private volatile bool _detached;

    /// <param name="socket">A connected attach socket; the session owns it.</param>
    public AttachSession(int socket, AttachOptions options, bool terminal, Func<int> containerPid)
    {
        _socket = socket;
        _options = options;
        _terminal = terminal;
        _containerPid = containerPid;
    }

    public AttachOutcome Run()
    {
        if (_terminal)
        {
            if (_options.Stdin)
            {
                _raw = HostTerminal.MakeRaw(0);
            }

            SendResize();
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => SendResize()));
        }
        else if (_options.SigProxy)
        {
            foreach (var signal in ForwardedSignals.All)
            {
                _signals.Add(PosixSignalRegistration.Create(signal, Proxy));
            }
        }

        if (_options.Stdin)
        {
            new Thread(CopyStdin) { IsBackground = true, Name = "anchor-attach-stdin" }.Start();
        }

        var exit = CopyOutput();
        return new AttachOutcome(_detached, _detached ? null : exit);
    }

    /// <summary>Frames to stdout/stderr until the exit frame or the end of the connection.</summary>
    private int? CopyOutput()
    {
        var decoder = new AttachFrameDecoder();
        var buffer = new byte[32 * 1024];
        var stdoutOpen = true;
        var stderrOpen = true;
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.recv(_socket, p, buffer.Length, 0);
            }

            if (n < 0 && Sys.LastErrno == LibC.EINTR)
            {
                continue;
            }

            if (n <= 0)
            {
                return null;
            }

            decoder.Append(buffer.AsSpan(0, (int)n));
            try
            {
                while (decoder.TryRead(out var frame))
                {
                    switch (frame.Stream)
                    {
                        case AttachStream.Exit:
                            return frame.ExitCode;
                        case AttachStream.Stdout when stdoutOpen:
                            stdoutOpen = TryWrite(1, frame.Payload);
                            break;
                        case AttachStream.Stderr when stderrOpen:
                            stderrOpen = TryWrite(2, frame.Payload);
                            break;
                    }
                }
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }
    }

    private void CopyStdin()
    {
        var matcher = new DetachKeyMatcher(_options.DetachKeys);
        var buffer = new byte[32 * 1024];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.read(0, p, buffer.Length);
            }

            if (n < 0 && Sys.LastErrno == LibC.EINTR)
            {
                continue;
            }

            if (n <= 0)
            {
                if (_options.StdinOnce)
                {
                    Send(AttachFrame.Encode(AttachStream.CloseStdin, []));
                }

                return;
            }

            var forward = matcher.Feed(buffer.AsSpan(0, (int)n), out var detach);
            if (forward.Length > 0 && !Send(AttachFrame.Encode(AttachStream.Stdin, forward)))
            {
                return;
            }

            if (detach)
            {
                // The output loop sees the end of the connection and returns; the container runs on.
                _detached = true;
                LibC.shutdown(_socket, LibC.SHUT_RDWR);
                return;
            }
        }
    }

    private void SendResize()
    {
        LibC.Winsize size;
        if (LibC.ioctl(0, LibC.TIOCGWINSZ, (nint)(&size)) == 0 || LibC.ioctl(1, LibC.TIOCGWINSZ, (nint)(&size)) == 0)
        {
            Send(AttachFrame.Resize(size.ws_row, size.ws_col));
        }
    }

    private void Proxy(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = ForwardedSignals.Number(context.Signal);
        var pid = _containerPid();
        if (number != 0 && pid > 0)
        {
            LibC.kill(pid, number);
        }
    }

    private bool Send(byte[] frame)
    {
        lock (_sending)
        {
            fixed (byte* p = frame)
            {
                var done = 0;
                while (done < frame.Length)
                {
                    var n = LibC.send(_socket, p + done, frame.Length - done, LibC.MSG_NOSIGNAL);
                    if (n < 0 && Sys.LastErrno == LibC.EINTR)
                    {
                        continue;
                    }

                    if (n <= 0)
                    {
                        return false;
                    }

                    done += (int)n;
                }
            }

            return true;
        }
    }

    private static bool TryWrite(int fd, byte[] data)
    {
        try
        {
            Sys.WriteAll(fd, data);
            return true;
        }
        catch (LinuxException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        _raw?.Dispose();
        LibC.close(_socket);
    }
}
