using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// An flock(2) on a lock file: serialises concurrent anchor processes that change shared state.
/// The lock is released when the descriptor closes, so a crashed holder never leaves it held.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly int _fd;

    private FileLock(int fd) => _fd = fd;

    /// <summary>The lock's descriptor: a child that inherits it shares the lock (flock(2) locks belong to the open file description).</summary>
    public int Descriptor => _fd;

    /// <summary>Takes over a descriptor that holds a lock already (one a parent handed down); it is closed on dispose.</summary>
    public static FileLock Adopt(int fd) => new(fd);

    public static FileLock Exclusive(string path) => Acquire(path, LibC.LOCK_EX);

    public static FileLock Shared(string path) => Acquire(path, LibC.LOCK_SH);

    /// <summary>An exclusive lock if nobody holds one now (LOCK_NB), else null.</summary>
    public static FileLock? TryExclusive(string path)
    {
        var fd = LibC.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0x180 /* 0600 */);
        Sys.Check(fd, "open", path);
        while (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) < 0)
        {
            var errno = Sys.LastErrno;
            if (errno == LibC.EINTR)
            {
                continue;
            }

            LibC.close(fd);
            return errno == LibC.EAGAIN ? null : throw new LinuxException(errno, "flock", path);
        }

        return new FileLock(fd);
    }

    private static FileLock Acquire(string path, int operation)
    {
        var fd = LibC.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0x180 /* 0600 */);
        Sys.Check(fd, "open", path);
        while (LibC.flock(fd, operation) < 0)
        {
            if (Sys.LastErrno != LibC.EINTR)
            {
                var ex = LinuxException.FromLastError("flock", path);
                LibC.close(fd);
                throw ex;
            }
        }

        return new FileLock(fd);
    }

    public void Dispose() => LibC.close(_fd);
}
