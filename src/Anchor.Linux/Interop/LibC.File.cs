using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/file.h, fcntl.h: advisory locks and descriptor flags.
public static unsafe partial class LibC
{
    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    public const int F_GETFD = 1;
    public const int F_SETFD = 2;
    public const int FD_CLOEXEC = 1;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    /// <summary>Duplicates to the lowest free descriptor at or above the argument, close-on-exec.</summary>
    public const int F_DUPFD_CLOEXEC = 1030;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fsync(int fd);
}
