using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// linux/mount.h: the file-descriptor based mount API (fsopen(2), fsconfig(2), fsmount(2),
// move_mount(2); Linux 5.2). Used where mount(2) cannot say what is needed: a procfs instance for
// a pid namespace the caller is not in ("pidns", Linux 6.17, Documentation/filesystems/proc.rst).
// glibc 2.36 wraps them, but the raw system calls keep older glibc working (x86_64 numbers).
public static unsafe partial class LibC
{
    public const long SYS_open_tree = 428;
    public const long SYS_move_mount = 429;
    public const long SYS_fsopen = 430;
    public const long SYS_fsconfig = 431;
    public const long SYS_fsmount = 432;
    public const long SYS_mount_setattr = 442;

    /// <summary>mount_setattr(2): apply to the whole subtree under the path.</summary>
    public const uint AT_RECURSIVE = 0x8000;

    public const uint FSOPEN_CLOEXEC = 0x1;
    public const uint FSMOUNT_CLOEXEC = 0x1;
    public const uint FSCONFIG_SET_FD = 5;
    public const uint FSCONFIG_CMD_CREATE = 6;

    public const uint MOUNT_ATTR_RDONLY = 0x1;
    public const uint MOUNT_ATTR_NOSUID = 0x2;
    public const uint MOUNT_ATTR_NODEV = 0x4;
    public const uint MOUNT_ATTR_NOEXEC = 0x8;

    /// <summary>mount_setattr(2): the mount shows ids through a user namespace's maps (Linux 5.12).</summary>
    public const uint MOUNT_ATTR_IDMAP = 0x00100000;

    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;

    /// <summary>open_tree(2): a detached copy of the mount (a bind mount not yet attached anywhere).</summary>
    public const uint OPEN_TREE_CLONE = 0x1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000;

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_str(long number, string? a, nint b);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_fsconfig(long number, int fd, uint cmd, string? key, nint value, int aux);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_move_mount(long number, int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags);

    public static int fsopen(string fsName, uint flags) => (int)syscall_str(SYS_fsopen, fsName, (nint)flags);

    /// <summary>fsconfig(FSCONFIG_SET_FD): a parameter whose value is a descriptor.</summary>
    public static int fsconfig_setfd(int fsfd, string key, int fd) => (int)syscall_fsconfig(SYS_fsconfig, fsfd, FSCONFIG_SET_FD, key, 0, fd);

    public static int fsconfig_create_fs(int fsfd) => (int)syscall_fsconfig(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, null, 0, 0);

    public static int fsmount(int fsfd, uint flags, uint attrFlags) => (int)syscall(SYS_fsmount, fsfd, (nint)flags, (nint)attrFlags);

    /// <summary>struct mount_attr (linux/mount.h, MOUNT_ATTR_SIZE_VER0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct mount_attr
    {
        public ulong attr_set;
        public ulong attr_clr;
        public ulong propagation;
        public ulong userns_fd;
    }

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_mount_setattr(long number, int dirfd, string path, uint flags, mount_attr* attr, nint size);

    /// <summary>
    /// mount_setattr(2) (Linux 5.12): sets mount flags on an existing mount, with AT_RECURSIVE on a
    /// whole subtree in one call; unlike a remount it only adds what it is given, so the flags a
    /// mount must keep (nosuid, nodev, noexec locked by a less privileged namespace) stay.
    /// </summary>
    public static int mount_setattr(int dirfd, string path, uint flags, ulong attrSet)
    {
        var attr = new mount_attr { attr_set = attrSet };
        return (int)syscall_mount_setattr(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof(mount_attr));
    }

    /// <summary>
    /// mount_setattr(2) with MOUNT_ATTR_IDMAP on a detached mount (an open_tree(2) clone): its files
    /// then show the ids that <paramref name="usernsFd"/>'s maps give their on-disk ids.
    /// </summary>
    public static int mount_setattr_idmap(int mountFd, int usernsFd)
    {
        var attr = new mount_attr { attr_set = MOUNT_ATTR_IDMAP, userns_fd = (ulong)usernsFd };
        return (int)syscall_mount_setattr(SYS_mount_setattr, mountFd, "", 0x1000 /* AT_EMPTY_PATH */, &attr, sizeof(mount_attr));
    }

    /// <summary>open_tree(2) (Linux 5.2): with OPEN_TREE_CLONE, a detached bind of the path, as a descriptor.</summary>
    public static int open_tree(int dirfd, string path, uint flags) =>
        (int)syscall_open_tree(SYS_open_tree, dirfd, path, flags);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_open_tree(long number, int dirfd, string path, uint flags);

    public static int move_mount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags) =>
        (int)syscall_move_mount(SYS_move_mount, fromDirfd, fromPath, toDirfd, toPath, flags);
}
