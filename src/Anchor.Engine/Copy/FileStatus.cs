using Anchor.Linux;
using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Copy;

/// <summary>
/// Descriptor-based helpers for the copy code: stat of a descriptor or of one name inside a
/// directory descriptor, never following a final symlink, and re-opening an O_PATH descriptor for
/// reading through /proc/self/fd (the kernel hands back the very same inode; no path is resolved again).
/// </summary>
internal static unsafe class FileStatus
{
    /// <summary>fstat of the descriptor itself (AT_EMPTY_PATH), an O_PATH one included.</summary>
    public static LibC.StatBuf Of(int fd)
    {
        LibC.StatBuf st;
        Sys.Check(LibC.fstatat(fd, "", &st, LibC.AT_EMPTY_PATH | LibC.AT_SYMLINK_NOFOLLOW), "fstat");
        return st;
    }

    /// <summary>lstat of <paramref name="name"/> (one path element) in <paramref name="dirFd"/>; null when nothing is there.</summary>
    public static LibC.StatBuf? At(int dirFd, string name)
    {
        LibC.StatBuf st;
        if (LibC.fstatat(dirFd, name, &st, LibC.AT_SYMLINK_NOFOLLOW) == 0)
        {
            return st;
        }

        return Sys.LastErrno is LibC.ENOENT or LibC.ENOTDIR ? null : throw LinuxException.FromLastError("lstat", name);
    }

    public static uint Type(in LibC.StatBuf st) => st.st_mode & LibC.S_IFMT;

    public static bool IsDir(in LibC.StatBuf st) => Type(st) == LibC.S_IFDIR;

    /// <summary>The target of the symlink an O_PATH|O_NOFOLLOW descriptor stands for (readlinkat with an empty path).</summary>
    public static string ReadLink(int fd)
    {
        var buffer = new byte[4096];
        fixed (byte* p = buffer)
        {
            var n = LibC.readlinkat(fd, "", p, buffer.Length);
            Sys.Check((int)Math.Min(n, 0), "readlink");
            return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    /// <summary>A readable stream over the file an O_PATH descriptor stands for.</summary>
    public static FileStream OpenRead(int pathFd)
    {
        var fd = LibC.open($"/proc/self/fd/{pathFd}", LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOCTTY, 0);
        Sys.Check(fd, "open", "file to copy");
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1 << 16);
    }

    public static DateTimeOffset ModificationTime(in LibC.StatBuf st) =>
        DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec).AddTicks(st.st_mtim.tv_nsec / 100);
}
