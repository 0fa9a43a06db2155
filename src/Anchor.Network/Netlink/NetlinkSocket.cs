using System.Buffers.Binary;
using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Network.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket (netlink(7), rtnetlink(7)). It acts on the network namespace it was
/// created in for its whole life, whichever thread later uses it: <see cref="OpenIn"/> creates one
/// inside a container's namespace. Requests are sent with NLM_F_ACK and answered by an
/// NLMSG_ERROR whose error is 0 (done) or -errno; NETLINK_EXT_ACK adds the kernel's reason text.
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    private const int ReceiveBuffer = 64 * 1024;
    private int _fd;
    private uint _sequence;

    private NetlinkSocket(int fd) => _fd = fd;

    /// <summary>A socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open()
    {
        var fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        Sys.Check(fd, "socket", "AF_NETLINK");
        var one = 1;
        // Best effort: without extended acks errors still carry errno.
        _ = LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, &one, sizeof(int));
        return new NetlinkSocket(fd);
    }

    /// <summary>
    /// A socket in the network namespace of process <paramref name="pid"/>. A short-lived thread of
    /// its own joins the namespace (setns(2) changes only the calling thread), creates the socket
    /// and ends, so no pool thread is ever left in a container's namespace.
    /// </summary>
    public static NetlinkSocket OpenIn(int pid) =>
        NetnsThread.Run($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net", Open);

    /// <summary>Sends a request and waits for its acknowledgement; a kernel error becomes a LinuxException.</summary>
    public void Request(NetlinkMessage message, string operation, string? subject)
    {
        var sequence = Send(message, Rtnl.NLM_F_ACK, operation, subject);
        Receive(sequence, operation, subject, _ => { });
    }

    /// <summary>Sends a request (a dump, or a get with one answer) and returns each reply's payload after the nlmsghdr.</summary>
    public List<ReadOnlyMemory<byte>> Query(NetlinkMessage message, string operation, string? subject)
    {
        var sequence = Send(message, 0, operation, subject);
        var replies = new List<ReadOnlyMemory<byte>>();
        Receive(sequence, operation, subject, replies.Add);
        return replies;
    }

    private uint Send(NetlinkMessage message, ushort extraFlags, string operation, string? subject)
    {
        var sequence = ++_sequence;
        var bytes = message.Encode(sequence, extraFlags);
        fixed (byte* p = bytes)
        {
            while (LibC.send(_fd, p, bytes.Length, 0) < 0)
            {
                if (Sys.LastErrno != LibC.EINTR)
                {
                    throw LinuxException.FromLastError(operation, subject);
                }
            }
        }

        return sequence;
    }

    /// <summary>Reads replies to <paramref name="sequence"/> until the ack, NLMSG_DONE or a lone answer.</summary>
    private void Receive(uint sequence, string operation, string? subject, Action<ReadOnlyMemory<byte>> reply)
    {
        var buffer = new byte[ReceiveBuffer];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.recv(_fd, p, buffer.Length, 0);
            }

            if (n < 0)
            {
                if (Sys.LastErrno == LibC.EINTR)
                {
                    continue;
                }

                throw LinuxException.FromLastError(operation, subject);
            }

            var offset = 0;
            while (offset + Rtnl.NLMSG_HDRLEN <= n)
            {
                var header = buffer.AsSpan(offset);
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
                var seq = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
                if (length < Rtnl.NLMSG_HDRLEN || offset + length > n)
                {
                    throw new LinuxException($"{operation}: truncated netlink reply");
                }

                var payload = new ReadOnlyMemory<byte>(buffer, offset + Rtnl.NLMSG_HDRLEN, length - Rtnl.NLMSG_HDRLEN).ToArray();
                offset += Rtnl.Align(length);
                if (seq != sequence)
                {
                    continue; // a stale reply to an earlier request
                }

                if (type == Rtnl.NLMSG_ERROR)
                {
                    var error = NetlinkError.From(payload, flags);
                    if (error.Errno == 0)
                    {
                        return;
                    }

                    throw new LinuxException(error.Errno, operation, error.Message is null ? subject : $"{subject} ({error.Message})");
                }

                if (type == Rtnl.NLMSG_DONE)
                {
                    return;
                }

                reply(payload);
                if ((flags & Rtnl.NLM_F_MULTI) == 0)
                {
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LibC.close(_fd);
            _fd = -1;
        }
    }
}
