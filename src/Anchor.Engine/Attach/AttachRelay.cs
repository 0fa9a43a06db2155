using Anchor.Engine.Monitor;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>
/// One run's relay, a single thread whatever the number of clients: poll(2) over the container's
/// output, the listening socket, every client and a wake pipe. Output goes to the json log and is
/// fanned out to all clients; client stdin frames go to the container's stdin (non-blocking, queued;
/// clients are not read while a backlog waits, so a container that does not read cannot make the
/// monitor buffer without bound); resize frames set the pty's window size (TIOCSWINSZ, tty_ioctl(4)).
/// Ends when every output reached end of file, or when woken.
/// </summary>
internal sealed unsafe class AttachRelay(AttachServer server, ContainerStdio stdio, JsonLogWriter log, int wake)
{
    private const int StdinBacklog = 64 * 1024;

    private readonly List<(int Fd, AttachStream Stream)> _open = [.. stdio.Outputs];
    private readonly List<byte> _stdin = [];
    private readonly byte[] _buffer = new byte[32 * 1024];
    private bool _closeStdin;

    public void Run()
    {
        if (stdio.Input >= 0)
        {
            UnixSocket.SetNonBlocking(stdio.Input, true);
        }

        var fds = new List<LibC.Pollfd>();
        while (_open.Count > 0)
        {
            fds.Clear();
            fds.Add(new LibC.Pollfd { fd = wake, events = LibC.POLLIN });
            fds.Add(new LibC.Pollfd { fd = server.Listener, events = LibC.POLLIN });
            foreach (var (fd, _) in _open)
            {
                fds.Add(new LibC.Pollfd { fd = fd, events = LibC.POLLIN });
            }

            var stdinAt = fds.Count;
            fds.Add(new LibC.Pollfd { fd = _stdin.Count > 0 ? stdio.Input : -1, events = LibC.POLLOUT });
            var readClients = _stdin.Count < StdinBacklog;
            foreach (var client in server.Clients)
            {
                var events = (short)((readClients ? LibC.POLLIN : 0) | (client.PendingBytes > 0 ? LibC.POLLOUT : 0));
                fds.Add(new LibC.Pollfd { fd = client.Fd, events = events });
            }

            var ready = fds.ToArray();
            int n;
            fixed (LibC.Pollfd* p = ready)
            {
                n = LibC.poll(p, (nuint)ready.Length, -1);
            }

            if (n < 0)
            {
                if (Sys.LastErrno == LibC.EINTR)
                {
                    continue;
                }

                throw LinuxException.FromLastError("poll");
            }

            if (ready[0].revents != 0)
            {
                break; // EndRelay: the container is gone and its output is not ending.
            }

            if (ready[1].revents != 0)
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
                if (ready[2 + i].revents != 0 && !ReadOutput(i))
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

            if (ready[stdinAt].revents != 0)
            {
                WriteStdin();
            }

            ServeClients(ready.AsSpan(stdinAt + 1));
        }

        foreach (var (_, stream) in _open)
        {
            log.Flush(Name(stream));
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
        nint n;
        fixed (byte* p = _buffer)
        {
            n = LibC.read(fd, p, _buffer.Length);
        }

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

        var data = _buffer.AsSpan(0, (int)n);
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
                alive = client.Receive(_buffer) && Handle(client);
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
