using Anchor.Engine.Monitor;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>
/// One run's relay, on the monitor's main thread whatever the number of clients (no thread of its
/// own: an idle monitor is one thread in poll(2)): poll over the container's output, the
/// listening socket, every client and the container's pidfd. Output goes to
/// the json log and is fanned out to all clients; client stdin frames go to the container's stdin
/// (non-blocking, queued; clients are not read while a backlog waits, so a container that does not
/// read cannot make the monitor buffer without bound); resize frames set the pty's window size
/// (TIOCSWINSZ, tty_ioctl(4)). Output is read in large chunks into one native buffer (untouched
/// memory while the container is quiet) and logged without per-line allocations.
/// </summary>
internal sealed unsafe class AttachRelay(AttachServer server, ContainerStdio stdio, JsonLogWriter log) : IDisposable
{
    private const int StdinBacklog = 64 * 1024;
    private const int ReadSize = 128 * 1024;

    private readonly List<(int Fd, AttachStream Stream)> _open = [.. stdio.Outputs];
    private readonly List<byte> _stdin = [];
    private readonly byte[] _clientBuffer = new byte[16 * 1024];
    private LibC.Pollfd[] _fds = new LibC.Pollfd[8];
    private byte* _read;
    private bool _closeStdin;

    /// <summary>One round without waiting: what the container wrote so far is logged now (start-up, between the monitor's own steps).</summary>
    public void Pump() => Round(0, -1);

    /// <summary>
    /// Relays until the container's process ends (<paramref name="exitFd"/>, a pidfd, polls readable;
    /// -1: it has ended), then for up to <paramref name="grace"/> until its output reaches end of
    /// file (a process the container left behind may hold the pipes open).
    /// </summary>
    public void Run(int exitFd, TimeSpan grace)
    {
        if (stdio.Input >= 0)
        {
            UnixSocket.SetNonBlocking(stdio.Input, true);
        }

        var deadline = exitFd < 0 ? Environment.TickCount64 + (long)grace.TotalMilliseconds : long.MaxValue;
        // A container that closed its output but runs on still has clients and signals to serve.
        while (exitFd >= 0 || _open.Count > 0)
        {
            var timeout = -1;
            if (deadline != long.MaxValue)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    break;
                }

                timeout = (int)Math.Min(left, int.MaxValue);
            }

            var events = Round(timeout, exitFd);
            if ((events & Exited) != 0)
            {
                exitFd = -1;
                deadline = Environment.TickCount64 + (long)grace.TotalMilliseconds;
            }
        }

        foreach (var (_, stream) in _open)
        {
            log.Flush(Name(stream));
        }
    }

    private const int Exited = 1;

    /// <summary>One poll and what it found ready; <see cref="Exited"/> when the exit descriptor was readable.</summary>
    private int Round(int timeout, int exitFd)
    {
        var count = 0;
        Add(ref count, exitFd, LibC.POLLIN);
        Add(ref count, server.Listener, LibC.POLLIN);
        var outputsAt = count;
        foreach (var (fd, _) in _open)
        {
            Add(ref count, fd, LibC.POLLIN);
        }

        var stdinAt = count;
        Add(ref count, _stdin.Count > 0 ? stdio.Input : -1, LibC.POLLOUT);
        var readClients = _stdin.Count < StdinBacklog;
        foreach (var client in server.Clients)
        {
            Add(ref count, client.Fd, (short)((readClients ? LibC.POLLIN : 0) | (client.PendingBytes > 0 ? LibC.POLLOUT : 0)));
        }

        int n;
        fixed (LibC.Pollfd* p = _fds)
        {
            n = LibC.poll(p, (nuint)count, timeout);
        }

        if (n < 0)
        {
            if (Sys.LastErrno == LibC.EINTR)
            {
                return 0;
            }

            throw LinuxException.FromLastError("poll");
        }

        if (n == 0)
        {
            return 0;
        }

        var result = _fds[0].revents != 0 && exitFd >= 0 ? Exited : 0;
        if (_fds[1].revents != 0)
        {
            Accept();
        }

        // stdout before stderr, each read once per round: a stream's lines stay in their order,
        // and lines of the two streams in the order they were read (what became ready together
        // cannot be told apart: docker's two copiers race the same way). Ended streams are
        // dropped after the round, so the poll results keep pairing with _open by index.
        var outputs = _open.Count;
        var ended = 0;
        for (var i = 0; i < outputs; i++)
        {
            if (_fds[outputsAt + i].revents != 0 && !ReadOutput(i))
            {
                ended |= 1 << i;
            }
        }

        for (var i = outputs - 1; i >= 0; i--)
        {
            if ((ended & (1 << i)) != 0)
            {
                _open.RemoveAt(i);
            }
        }

        if (_fds[stdinAt].revents != 0)
        {
            WriteStdin();
        }

        ServeClients(_fds.AsSpan(stdinAt + 1, count - stdinAt - 1));
        return result;
    }

    /// <summary>A poll entry; a negative descriptor keeps its slot (so the indices stay fixed) and is ignored by poll(2).</summary>
    private void Add(ref int count, int fd, short events)
    {
        if (count == _fds.Length)
        {
            Array.Resize(ref _fds, _fds.Length * 2);
        }

        _fds[count++] = new LibC.Pollfd { fd = fd, events = events };
    }

    public void Dispose()
    {
        if (_read is not null)
        {
            System.Runtime.InteropServices.NativeMemory.Free(_read);
            _read = null;
        }
    }

    private void Accept()
    {
        var fd = LibC.accept4(server.Listener, null, null, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        if (fd >= 0)
        {
            server.Clients.Add(new AttachConnection(fd));
        }
    }

    /// <summary>Reads what the output has and logs and relays it; false at its end of file.</summary>
    private bool ReadOutput(int index)
    {
        var (fd, stream) = _open[index];
        if (_read is null)
        {
            _read = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(ReadSize);
        }

        var n = LibC.read(fd, _read, ReadSize);

        if (n < 0 && Sys.LastErrno is LibC.EAGAIN or LibC.EINTR)
        {
            return true;
        }

        if (n <= 0)
        {
            // End of file; a pty master reads EIO once the container's side is closed (pty(7)).
            log.Flush(Name(stream));
            return false;
        }

        var data = new ReadOnlySpan<byte>(_read, (int)n);
        log.Append(Name(stream), data);
        if (server.Clients.Count == 0)
        {
            return true;
        }

        var frame = AttachFrame.Encode(stream, data);
        foreach (var client in server.Clients)
        {
            if (!client.Closed && !client.Send(frame))
            {
                // Removed from the list after this round: ServeClients pairs clients with poll results by index.
                client.Dispose();
            }
        }

        return true;
    }

    private void ServeClients(ReadOnlySpan<LibC.Pollfd> ready)
    {
        // Clients accepted during this round have no entry in ready yet.
        var count = Math.Min(ready.Length, server.Clients.Count);
        for (var i = 0; i < count; i++)
        {
            var client = server.Clients[i];
            var events = ready[i].revents;
            if (events == 0 || client.Closed)
            {
                continue;
            }

            var alive = true;
            if ((events & LibC.POLLOUT) != 0)
            {
                alive = client.Flush();
            }

            if (alive && (events & (LibC.POLLIN | LibC.POLLHUP | LibC.POLLERR)) != 0)
            {
                alive = client.Receive(_clientBuffer) && Handle(client);
            }

            if (!alive)
            {
                client.Dispose();
            }
        }

        server.Clients.RemoveAll(c => c.Closed);
    }

    /// <summary>Acts on the client's complete frames; false on a protocol error.</summary>
    private bool Handle(AttachConnection client)
    {
        try
        {
            while (client.Decoder.TryRead(out var frame))
            {
                switch (frame.Stream)
                {
                    case AttachStream.Stdin when stdio.Input >= 0:
                        _stdin.AddRange(frame.Payload);
                        break;
                    case AttachStream.Resize when stdio.Terminal:
                        Resize(frame.Size);
                        break;
                    case AttachStream.CloseStdin:
                        _closeStdin = true;
                        break;
                }
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }

        WriteStdin();
        return true;
    }

    private void WriteStdin()
    {
        if (stdio.Input < 0)
        {
            _stdin.Clear();
            return;
        }

        while (_stdin.Count > 0)
        {
            var chunk = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_stdin);
            nint n;
            fixed (byte* p = chunk)
            {
                n = LibC.write(stdio.Input, p, chunk.Length);
            }

            if (n < 0)
            {
                if (Sys.LastErrno is LibC.EAGAIN or LibC.EINTR)
                {
                    return;
                }

                // EPIPE: the container closed its stdin; what is left has no reader.
                _stdin.Clear();
                break;
            }

            _stdin.RemoveRange(0, (int)n);
        }

        if (_closeStdin)
        {
            stdio.CloseInput();
        }
    }

    private void Resize((ushort Rows, ushort Columns) size) => TerminalSize.Set(stdio.Outputs[0].Fd, size.Rows, size.Columns);

    private static string Name(AttachStream stream) => stream == AttachStream.Stderr ? "stderr" : "stdout";
}
