using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Security;

/// <summary>
/// Hides and write-protects kernel interfaces inside the container, after pivot_root
/// (runtime spec config-linux.md "Masked Paths" and "Readonly Paths"; runc's maskPath and readonlyPath).
/// </summary>
public static class MaskedPaths
{
    /// <summary>docker's default masked paths (moby oci/defaults.go).</summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
        "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>docker's default read-only paths (moby oci/defaults.go).</summary>
    public static readonly IReadOnlyList<string> DefaultReadonly =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];

    public static void Apply(IEnumerable<string> masked, IEnumerable<string> readonlyPaths)
    {
        ArgumentNullException.ThrowIfNull(masked);
        ArgumentNullException.ThrowIfNull(readonlyPaths);
        foreach (var path in readonlyPaths)
        {
            MakeReadonly(path);
        }

        foreach (var path in masked)
        {
            Mask(path);
        }
    }

    /// <summary>
    /// Bind /dev/null over a file, an empty read-only tmpfs over a directory; a path the kernel does
    /// not have needs no mask. The type is looked up first rather than learnt from a failed bind: the
    /// kernel copies the source mount before graft_tree() refuses a file on a directory (ENOTDIR),
    /// and undoing that copy waits for an expedited RCU grace period (namespace_unlock), which
    /// perf showed on the critical path of every container start.
    /// </summary>
    public static void Mask(string path)
    {
        switch (Sys.FileType(path))
        {
            case 0:
                return;
            case LibC.S_IFDIR:
                Sys.Mount("tmpfs", path, "tmpfs", LibC.MS_RDONLY);
                return;
        }

        if (LibC.mount("/dev/null", path, null, LibC.MS_BIND, null) == 0)
        {
            return;
        }

        switch (Sys.LastErrno)
        {
            case LibC.ENOENT:
                return;
            case LibC.ENOTDIR: // a symbolic link to a directory: lstat saw the link
                Sys.Mount("tmpfs", path, "tmpfs", LibC.MS_RDONLY);
                return;
            default:
                throw LinuxException.FromLastError("mount (mask) /dev/null on", path);
        }
    }

    /// <summary>
    /// Bind the path onto itself (with what is mounted below it), then make that read-only with
    /// mount_setattr(2), which only adds the flag: the nosuid, nodev and noexec the path had stay
    /// without a statfs(2) to find them (a remount dropping a locked flag fails with EPERM, and
    /// /proc carries all three).
    /// </summary>
    public static void MakeReadonly(string path)
    {
        if (LibC.mount(path, path, null, LibC.MS_BIND | LibC.MS_REC, null) < 0)
        {
            if (Sys.LastErrno == LibC.ENOENT)
            {
                return;
            }

            throw LinuxException.FromLastError("mount (readonly bind)", path);
        }

        Sys.Check(LibC.mount_setattr(LibC.AT_FDCWD, path, LibC.AT_RECURSIVE, LibC.MOUNT_ATTR_RDONLY), "mount_setattr (readonly)", path);
    }
}
