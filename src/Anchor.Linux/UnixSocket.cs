using System.Globalization;
using System.Text;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Unix stream sockets (unix(7)) addressed through <c>/proc/self/fd/N</c>: sun_path holds at most
/// 107 bytes, and a store path such as /tmp/x/run/containers/64-HEX-ID/attach is longer. conmon binds
/// through <c>/proc/self/fd/DIRFD/NAME</c> of an O_PATH descriptor of the socket's directory, and
/// podman connects through <c>/proc/self/fd/FD</c> of an O_PATH descriptor of the socket itself
/// (libpod/oci_conmon_attach_linux.go, openUnixSocket): the kernel resolves the long path.
/// </summary>
public static unsafe class UnixSocket
{
    /// <summary>Creates a listening socket at <paramref name="path"/> with <paramref name="mode"/>, close-on-exec.</summary>
    public static int Listen(string path, uint mode, int backlog = 16)
    {
        var directory = Path.GetDirectoryName(path) ?? "/";
        var dirFd = LibC.open(directory, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        Sys.Check(dirFd, "open", directory);
        try
        {
            return Socket(path, fd =>
            {
                LibC.unlink(path);
                var address = Address($"/proc/self/fd/{dirFd.ToString(CultureInfo.InvariantCulture)}/{Path.GetFileName(path)}");
                Sys.Check(LibC.bind(fd, &address, (uint)sizeof(LibC.SockaddrUn)), "bind", path);
                // The file is made with the umask's mode; nobody can connect before listen(2), so
                // tightening it here leaves no window (connect(2) to an unlistened socket is ECONNREFUSED).
                Sys.Chmod(path, mode);
                Sys.Check(LibC.listen(fd, backlog), "listen", path);
            });
        }
        finally
        {
            LibC.close(dirFd);
        }
    }

    /// <summary>Connects to the socket at <paramref name="path"/>; the descriptor is blocking and close-on-exec.</summary>
    public static int Connect(string path)
    {
        var target = LibC.open(path, LibC.O_PATH | LibC.O_CLOEXEC, 0);
        Sys.Check(target, "open", path);
        try
        {
            return Socket(path, fd =>
            {
                var address = Address($"/proc/self/fd/{target.ToString(CultureInfo.InvariantCulture)}");
                Sys.Check(LibC.connect(fd, &address, (uint)sizeof(LibC.SockaddrUn)), "connect", path);
            });
        }
        finally
        {
            LibC.close(target);
        }
    }

    /// <summary>A new close-on-exec stream socket set up by <paramref name="setUp"/>; closed again if that throws.</summary>
    private static int Socket(string path, Action<int> setUp)
    {
        var fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        Sys.Check(fd, "socket", path);
        try
        {
            setUp(fd);
            return fd;
        }
        catch
        {
            LibC.close(fd);
            throw;
        }
    }

    /// <summary>A connected pair (socketpair(2)), both ends close-on-exec.</summary>
    public static (int First, int Second) Pair()
    {
        int* fds = stackalloc int[2];
        Sys.Check(LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds), "socketpair");
        return (fds[0], fds[1]);
    }

    /// <summary>Sets or clears O_NONBLOCK (fcntl(2) F_SETFL).</summary>
    /// <summary>
    /// Whether the peer of a connected unix stream socket is gone, not merely done writing:
    /// poll(2) reports POLLHUP only once both directions are shut down (net/unix/af_unix.c
    /// unix_poll; the peer's close shuts both, its shutdown(SHUT_WR) only our receiving side).
    /// </summary>
    public static bool PeerGone(int fd)
    {
        var poll = new LibC.Pollfd { fd = fd, events = LibC.POLLOUT };
        return LibC.poll(&poll, 1, 0) != 1 || (poll.revents & LibC.POLLHUP) != 0;
    }

    public static void SetNonBlocking(int fd, bool nonBlocking)
    {
        var flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        Sys.Check(flags, "fcntl", "F_GETFL");
        flags = nonBlocking ? flags | LibC.O_NONBLOCK : flags & ~LibC.O_NONBLOCK;
        Sys.Check(LibC.fcntl(fd, LibC.F_SETFL, flags), "fcntl", "F_SETFL");
    }

    private static LibC.SockaddrUn Address(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= LibC.SunPathLength)
        {
            throw new LinuxException($"socket path too long: {path}");
        }

        var address = new LibC.SockaddrUn { sun_family = LibC.AF_UNIX };
        bytes.CopyTo(new Span<byte>(address.sun_path, LibC.SunPathLength));
        return address;
    }
}
