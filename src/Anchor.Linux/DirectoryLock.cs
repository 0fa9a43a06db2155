using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// An flock(2) on a directory itself (a descriptor opened O_RDONLY|O_DIRECTORY; flock works on any
/// open file, and a directory needs no extra inode), held by whoever owns what the directory
/// stands for right now. The kernel drops it when the holder dies, so "nobody holds it" is a
/// liveness test free of pid reuse. The descriptor is close-on-exec: children never keep it.
/// A directory can be renamed (into a trash) while a waiter blocks on it, so a lock is only
/// handed out after checking that the path still names the locked inode.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    private int _fd;

    private DirectoryLock(int fd) => _fd = fd;

    /// <summary>
    /// Makes <paramref name="directory"/> (which must not exist) and locks it. Someone who tests
    /// the lock between the mkdir and the flock takes it as abandoned and may move the directory
    /// away; then it is made again, so the caller always gets a fresh directory that it holds.
    /// </summary>
    /// <param name="mode">mkdir(2)'s mode (less the umask).</param>
    /// <param name="shared">A shared lock (LOCK_SH): several owners (a command and the helper it starts) hold it together; a sweeper's exclusive try fails while any does.</param>
    public static DirectoryLock Create(string directory, uint mode, bool shared = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (LibC.mkdir(directory, mode) != 0)
            {
                var errno = Sys.LastErrno;
                // EEXIST: a sweeper's rename is not done yet (or a foreign directory): try again, bounded.
                if (errno != LibC.EEXIST || attempt >= 100)
                {
                    throw new LinuxException(errno, "mkdir", directory);
                }

                Thread.Sleep(1);
                continue;
            }

            if (Lock(directory, shared ? LibC.LOCK_SH : LibC.LOCK_EX) is { } held)
            {
                return held;
            }
        }
    }

    /// <summary>Waits for the lock of an existing directory; null when it is gone (or was moved away meanwhile).</summary>
    public static DirectoryLock? Acquire(string directory) => Lock(directory, LibC.LOCK_EX);

    /// <summary>Waits for a shared hold of an existing directory (see <see cref="Create"/>); null when it is gone.</summary>
    public static DirectoryLock? AcquireShared(string directory) => Lock(directory, LibC.LOCK_SH);

    /// <summary>The lock if nobody holds it now; null when it is held or the directory is gone.</summary>
    public static DirectoryLock? TryAcquire(string directory) => Lock(directory, LibC.LOCK_EX | LibC.LOCK_NB);

    private static unsafe DirectoryLock? Lock(string directory, int operation)
    {
        var fd = LibC.open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Sys.LastErrno;
            return errno is LibC.ENOENT or LibC.ENOTDIR ? null : throw new LinuxException(errno, "open", directory);
        }

        while (LibC.flock(fd, operation) != 0)
        {
            var errno = Sys.LastErrno;
            if (errno == LibC.EINTR)
            {
                continue;
            }

            LibC.close(fd);
            return errno == LibC.EAGAIN ? null : throw new LinuxException(errno, "flock", directory);
        }

        // Whoever held it before us may have renamed the directory away: then this is not its lock.
        LibC.StatBuf locked;
        LibC.StatBuf named;
        if (LibC.fstatat(fd, "", &locked, LibC.AT_EMPTY_PATH) != 0
            || LibC.fstatat(LibC.AT_FDCWD, directory, &named, LibC.AT_SYMLINK_NOFOLLOW) != 0
            || locked.st_ino != named.st_ino
            || locked.st_dev != named.st_dev)
        {
            LibC.close(fd);
            return null;
        }

        return new DirectoryLock(fd);
    }

    /// <summary>Lets go (idempotent, and safe from another thread than the one that took it).</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            LibC.close(fd);
        }
    }
}
