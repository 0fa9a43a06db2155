using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// A directory descriptor that stands for "/" of a file tree: every path opened through it is
/// resolved by openat2(2) with RESOLVE_IN_ROOT, so "..", absolute symlinks and relative symlinks
/// that climb (../../..) all stop at this directory, as they would for a process chrooted there;
/// RESOLVE_NO_MAGICLINKS also refuses /proc/PID/fd-style links that could jump anywhere.
/// This is what keeps <c>cp</c> inside a container (CVE-2018-15664: a symlink swapped in during
/// a copy; CVE-2019-14271: resolving in a process the container controls). The kernel resolves
/// each open atomically, so no check-then-use window exists between two calls.
/// </summary>
public sealed unsafe class ScopedRoot : IDisposable
{
    private readonly ulong _resolve;
    private int _fd;

    private ScopedRoot(int fd, ulong resolve)
    {
        _fd = fd;
        _resolve = resolve;
    }

    public int Fd => _fd;

    /// <summary>Opens <paramref name="directory"/> (a host path) as the root of a confined tree.</summary>
    public static ScopedRoot Confined(string directory)
    {
        var fd = LibC.open(directory, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        Sys.Check(fd, "open", directory);
        return new ScopedRoot(fd, LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS);
    }

    /// <summary>The host's own "/", resolving paths exactly as any other call of this process would.</summary>
    public static ScopedRoot Host()
    {
        var fd = LibC.open("/", LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        Sys.Check(fd, "open", "/");
        return new ScopedRoot(fd, 0);
    }

    /// <summary>openat2 of <paramref name="path"/> under this root; a negative errno on failure.</summary>
    public int TryOpen(string path, int flags, uint mode = 0)
    {
        var how = new LibC.OpenHow
        {
            flags = (ulong)(uint)(flags | LibC.O_CLOEXEC),
            mode = (flags & LibC.O_CREAT) != 0 ? mode : 0,
            resolve = _resolve,
        };
        var relative = path.TrimStart('/');
        if (relative.Length == 0)
        {
            relative = ".";
        }

        while (true)
        {
            var fd = LibC.openat2(_fd, relative, &how);
            if (fd >= 0)
            {
                return fd;
            }

            // EAGAIN: a concurrent rename raced a ".." step; the kernel asks for a retry (openat2(2)).
            if (Sys.LastErrno is not (LibC.EAGAIN or LibC.EINTR))
            {
                return -Sys.LastErrno;
            }
        }
    }

    public int Open(string path, int flags, uint mode = 0)
    {
        var fd = TryOpen(path, flags, mode);
        return fd >= 0 ? fd : throw new LinuxException(-fd, "open", path);
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
