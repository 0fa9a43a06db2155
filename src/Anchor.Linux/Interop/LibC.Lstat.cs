using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/stat.h: lstat(2) and stat(2), exported by glibc since 2.33 (before that only __lxstat/__xstat existed).
// Layer extraction needs it to see a symlink as a symlink (never follow one inside a rootfs).
public static unsafe partial class LibC
{
    /// <summary>struct stat as the x86_64 kernel and glibc lay it out (asm/stat.h), 144 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatBuf
    {
        public ulong st_dev;
        public ulong st_ino;
        public ulong st_nlink;
        public uint st_mode;
        public uint st_uid;
        public uint st_gid;
        public int __pad0;
        public ulong st_rdev;
        public long st_size;
        public long st_blksize;
        public long st_blocks;
        public Timespec st_atim;
        public Timespec st_mtim;
        public Timespec st_ctim;
        public long __reserved0;
        public long __reserved1;
        public long __reserved2;
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lstat(string path, StatBuf* buf);

    /// <summary>stat(2): like lstat, but a final symlink is followed (a store root may be one).</summary>
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int stat(string path, StatBuf* buf);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llistxattr(string path, byte* list, nint size);

    /// <summary>major(3) and minor(3) as glibc decodes a dev_t.</summary>
    public static uint major(ulong dev) => (uint)(((dev >> 32) & 0xFFFFF000) | ((dev >> 8) & 0xFFF));

    public static uint minor(ulong dev) => (uint)(((dev >> 12) & 0xFFFFFF00) | (dev & 0xFF));
}
