using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/statfs.h: statfs(2). f_type tells a cgroup2 mount from a v1 tmpfs hierarchy
// (Documentation/admin-guide/cgroup-v2.rst); f_flags carries the ST_* mount flags
// that a bind remount must keep (runc's readonlyPath does the same).
public static partial class LibC
{
    /// <summary>linux/magic.h CGROUP2_SUPER_MAGIC.</summary>
    public const long CGROUP2_SUPER_MAGIC = 0x63677270;

    /// <summary>linux/magic.h CGROUP_SUPER_MAGIC (a v1 hierarchy).</summary>
    public const long CGROUP_SUPER_MAGIC = 0x27e0eb;

    /// <summary>linux/magic.h PROC_SUPER_MAGIC and SYSFS_MAGIC: kernel views, not files to copy.</summary>
    public const long PROC_SUPER_MAGIC = 0x9fa0;

    public const long SYSFS_MAGIC = 0x62656572;

    public const long ST_RDONLY = 0x1;

    /// <summary>struct statfs on x86_64 (asm-generic/statfs.h with 64-bit longs), 120 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatfsBuf
    {
        public long f_type;
        public long f_bsize;
        public ulong f_blocks;
        public ulong f_bfree;
        public ulong f_bavail;
        public ulong f_files;
        public ulong f_ffree;
        public long f_fsid;
        public long f_namelen;
        public long f_frsize;
        public long f_flags;
        public long f_spare0;
        public long f_spare1;
        public long f_spare2;
        public long f_spare3;
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statfs(string path, out StatfsBuf buf);

    /// <summary>Accepts an O_PATH descriptor (open(2), since Linux 3.12).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fstatfs(int fd, out StatfsBuf buf);
}
