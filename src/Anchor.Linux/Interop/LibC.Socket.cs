using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/socket.h, linux/netlink.h: the sockets rtnetlink(7) is spoken over (netlink(7)).
public static unsafe partial class LibC
{
    public const int AF_UNSPEC = 0;
    public const int AF_INET = 2;
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_EXT_ACK = 11;

    /// <summary>struct sockaddr_nl (netlink(7)); pid 0 addresses the kernel.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort nl_family;
        public ushort nl_pad;
        public uint nl_pid;
        public uint nl_groups;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, SockaddrNl* addr, int addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int optname, void* optval, int optlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint send(int fd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recv(int fd, byte* buf, nint len, int flags);
}
