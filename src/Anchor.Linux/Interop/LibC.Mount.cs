using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/mount.h: mount(2), umount2(2)
public static unsafe partial class LibC
{
    public const ulong MS_RDONLY = 0x1;
    public const ulong MS_NOSUID = 0x2;
    public const ulong MS_NODEV = 0x4;
    public const ulong MS_NOEXEC = 0x8;
    public const ulong MS_REMOUNT = 0x20;
    public const ulong MS_NOATIME = 0x400;
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_MOVE = 0x2000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_PRIVATE = 0x40000;
    public const ulong MS_SLAVE = 0x80000;
    public const ulong MS_STRICTATIME = 0x1000000;

    public const int MNT_DETACH = 0x2;
    public const int UMOUNT_NOFOLLOW = 0x8;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? filesystemtype, ulong mountflags, string? data);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);
}
