using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/socket.h: unix stream sockets for the attach socket (socket(2), socketpair(2), bind(2),
// listen(2), accept4(2), connect(2), send(2), recv(2), shutdown(2)).
public static unsafe partial class LibC
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_NONBLOCK = 0x800;
    public const int SOCK_CLOEXEC = 0x80000;

    /// <summary>send(2): no SIGPIPE when the peer has gone (EPIPE instead).</summary>
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_DONTWAIT = 0x40;

    public const int SHUT_WR = 1;
    public const int SHUT_RDWR = 2;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int sockfd, SockaddrUn* addr, uint addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int listen(int sockfd, int backlog);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int accept4(int sockfd, void* addr, uint* addrlen, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int sockfd, SockaddrUn* addr, uint addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint send(int sockfd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recv(int sockfd, byte* buf, nint len, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int shutdown(int sockfd, int how);
}
