using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>
/// The monitor's side of one attached client: a non-blocking socket, the output not yet sent (a
/// slow client never stalls the container or the other clients) and the decoder for what it sends.
/// </summary>
internal sealed unsafe class AttachConnection(int fd) : IDisposable
{
    /// <summary>A client that falls this far behind is dropped; it can read the rest with logs.</summary>
    public const int MaxPending = 4 << 20;

    private readonly Queue<byte[]> _pending = new();
    private int _sentOfHead;

    public int Fd { get; private set; } = fd;

    public AttachFrameDecoder Decoder { get; } = new();

    public int PendingBytes { get; private set; }

    public bool Closed => Fd < 0;

    /// <summary>Queues a frame and sends what the socket takes now; false when the client is gone or too slow.</summary>
    public bool Send(byte[] frame)
    {
        if (Closed)
        {
            return false;
        }

        _pending.Enqueue(frame);
        PendingBytes += frame.Length;
        return Flush() && PendingBytes <= MaxPending;
    }

    /// <summary>Sends queued output until the socket would block (send(2) with MSG_DONTWAIT); false on a dead peer.</summary>
    public bool Flush()
    {
        while (_pending.Count > 0 && !Closed)
        {
            var head = _pending.Peek();
            nint n;
            fixed (byte* p = head)
            {
                n = LibC.send(Fd, p + _sentOfHead, head.Length - _sentOfHead, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT);
            }

            if (n < 0)
            {
                var errno = Sys.LastErrno;
                return errno is LibC.EAGAIN or LibC.EINTR;
            }

            _sentOfHead += (int)n;
            PendingBytes -= (int)n;
            if (_sentOfHead == head.Length)
            {
                _pending.Dequeue();
                _sentOfHead = 0;
            }
        }

        return !Closed;
    }

    /// <summary>Reads what the client sent into the decoder; false at end of file or on an error.</summary>
    public bool Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = LibC.recv(Fd, p, buffer.Length, LibC.MSG_DONTWAIT);
            if (n < 0)
            {
                return Sys.LastErrno is LibC.EAGAIN or LibC.EINTR;
            }

            if (n == 0)
            {
                return false;
            }

            Decoder.Append(buffer[..(int)n]);
            return true;
        }
    }

    /// <summary>
    /// The end of a run: everything queued, then the final frame, within <paramref name="timeout"/>
    /// (poll(2) for POLLOUT between tries), then the connection closes.
    /// </summary>
    public void Finish(byte[] last, TimeSpan timeout)
    {
        if (!Closed)
        {
            _pending.Enqueue(last);
            PendingBytes += last.Length;
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (Flush() && PendingBytes > 0)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    break;
                }

                var pollFd = new LibC.Pollfd { fd = Fd, events = LibC.POLLOUT };
                LibC.poll(&pollFd, 1, (int)left);
            }
        }

        Dispose();
    }

    public void Dispose()
    {
        if (!Closed)
        {
            LibC.close(Fd);
            Fd = -1;
        }

        _pending.Clear();
        PendingBytes = 0;
    }
}
