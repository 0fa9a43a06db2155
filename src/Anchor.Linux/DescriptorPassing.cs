using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Sends a descriptor over a connected unix socket (unix(7) SCM_RIGHTS): the receiver gets its own
/// copy. runc's --console-socket protocol is one such message whose data is the terminal's name.
/// </summary>
public static unsafe class DescriptorPassing
{
    public static void Send(int socket, int fd, string name)
    {
        var data = System.Text.Encoding.UTF8.GetBytes(name.Length == 0 ? "\0" : name);
        // CMSG_SPACE(sizeof(int)): the 16-byte header plus the int padded to 8.
        var control = stackalloc byte[24];
        new Span<byte>(control, 24).Clear();
        var header = (LibC.Cmsghdr*)control;
        header->cmsg_len = (nuint)(sizeof(LibC.Cmsghdr) + sizeof(int)); // CMSG_LEN
        header->cmsg_level = LibC.SOL_SOCKET;
        header->cmsg_type = LibC.SCM_RIGHTS;
        *(int*)(control + sizeof(LibC.Cmsghdr)) = fd;
        fixed (byte* bytes = data)
        {
            var iov = new LibC.Iovec { iov_base = bytes, iov_len = (nuint)data.Length };
            var message = new LibC.Msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = 24 };
            nint sent;
            do
            {
                sent = LibC.sendmsg(socket, &message, LibC.MSG_NOSIGNAL);
            }
            while (sent < 0 && Sys.LastErrno == LibC.EINTR);

            Sys.Check((int)Math.Min(sent, 0), "sendmsg");
        }
    }

    /// <summary>Receives one descriptor sent as <see cref="Send"/> sends it (close-on-exec); the name is dropped.</summary>
    public static int Receive(int socket)
    {
        var control = stackalloc byte[24];
        new Span<byte>(control, 24).Clear();
        var data = stackalloc byte[4096];
        var iov = new LibC.Iovec { iov_base = data, iov_len = 4096 };
        var message = new LibC.Msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = 24 };
        nint received;
        do
        {
            received = LibC.recvmsg(socket, &message, LibC.MSG_CMSG_CLOEXEC);
        }
        while (received < 0 && Sys.LastErrno == LibC.EINTR);

        Sys.Check((int)Math.Min(received, 0), "recvmsg");
        var header = (LibC.Cmsghdr*)control;
        if (message.msg_controllen < (nuint)(sizeof(LibC.Cmsghdr) + sizeof(int)) || header->cmsg_level != LibC.SOL_SOCKET || header->cmsg_type != LibC.SCM_RIGHTS)
        {
            throw new LinuxException(LibC.EINVAL, "recvmsg", "no descriptor in the message");
        }

        return *(int*)(control + sizeof(LibC.Cmsghdr));
    }
}
