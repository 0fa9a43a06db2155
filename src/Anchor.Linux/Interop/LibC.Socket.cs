using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/socket.h and linux/netlink.h: unix stream sockets for the attach socket (socket(2),
// socketpair(2), bind(2), listen(2), accept4(2), connect(2), send(2), recv(2), shutdown(2)) and
// the netlink sockets rtnetlink(7) is spoken over (netlink(7)).
public static unsafe partial class LibC
{
    public const int AF_UNSPEC = 0;
    public const int AF_UNIX = 1;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_NETLINK = 16;
    public const int SOCK_STREAM = 1;
    public const int SOCK_RAW = 3;
    public const int SOCK_NONBLOCK = 0x800;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_EXT_ACK = 11;

    /// <summary>send(2): no SIGPIPE when the peer has gone (EPIPE instead).</summary>
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_CMSG_CLOEXEC = 0x40000000;
    public const int MSG_DONTWAIT = 0x40;

    public const int SHUT_WR = 1;
    public const int SHUT_RDWR = 2;

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
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int sockfd, SockaddrUn* addr, uint addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, SockaddrNl* addr, int addrlen);

    /// <summary>bind(2) with an address given as bytes (sockaddr_in6 and others).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, byte* addr, int addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int listen(int sockfd, int backlog);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int accept4(int sockfd, void* addr, uint* addrlen, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int sockfd, SockaddrUn* addr, uint addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int optname, void* optval, int optlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint send(int sockfd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recv(int sockfd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int shutdown(int sockfd, int how);

    /// <summary>unix(7) ancillary data: SOL_SOCKET / SCM_RIGHTS carries descriptors (cmsg(3)).</summary>
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;

    /// <summary>struct iovec (sys/uio.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Iovec
    {
        public void* iov_base;
        public nuint iov_len;
    }

    /// <summary>struct msghdr (sendmsg(2)), x86_64 layout.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Msghdr
    {
        public void* msg_name;
        public uint msg_namelen;
        public Iovec* msg_iov;
        public nuint msg_iovlen;
        public void* msg_control;
        public nuint msg_controllen;
        public int msg_flags;
    }

    /// <summary>struct cmsghdr (cmsg(3)); the data follows, aligned to 8 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Cmsghdr
    {
        public nuint cmsg_len;
        public int cmsg_level;
        public int cmsg_type;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint sendmsg(int sockfd, Msghdr* msg, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recvmsg(int sockfd, Msghdr* msg, int flags);
}
