using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// A procfs instance for a pid namespace the caller is not in: fsopen("proc"), the "pidns" parameter
/// given as a descriptor of /proc/PID/ns/pid (Linux 6.17, Documentation/filesystems/proc.rst
/// "pidns="), then fsmount(2) and move_mount(2). mount(2) would use the caller's active pid
/// namespace, so only a process inside it could mount the container's /proc.
/// </summary>
public static class ProcMount
{
    private static readonly Lazy<bool> Probe = new(() =>
    {
        var fsfd = LibC.fsopen("proc", LibC.FSOPEN_CLOEXEC);
        if (fsfd < 0)
        {
            return false;
        }

        var ns = LibC.open("/proc/self/ns/pid", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        try
        {
            // An unknown parameter is EINVAL: the kernel predates "pidns".
            return ns >= 0 && LibC.fsconfig_setfd(fsfd, "pidns", ns) == 0;
        }
        finally
        {
            if (ns >= 0)
            {
                LibC.close(ns);
            }

            LibC.close(fsfd);
        }
    });

    /// <summary>Whether this kernel takes the "pidns" parameter (checked once per process).</summary>
    public static bool Supported => Probe.Value;

    /// <summary>Mounts the procfs of pid namespace <paramref name="pidNamespaceFd"/> on <paramref name="target"/>.</summary>
    /// <param name="flags">MS_NOSUID, MS_NODEV, MS_NOEXEC and MS_RDONLY as the spec's mount options give them.</param>
    public static void Mount(int pidNamespaceFd, string target, ulong flags)
    {
        using var mnt = Create(pidNamespaceFd, flags);
        Attach(mnt, target);
    }

    /// <summary>
    /// The procfs instance as a detached mount, not yet attached anywhere. Made in a mount namespace
    /// of the host's user namespace, it escapes the check that refuses a new procfs in a namespace
    /// owned by another user namespace unless one is fully visible there already
    /// (mount_too_revealing, fs/namespace.c): a container with --userns has none once pivoted.
    /// </summary>
    public static OwnedFd Create(int pidNamespaceFd, ulong flags)
    {
        using var fs = OwnedFd.Check(LibC.fsopen("proc", LibC.FSOPEN_CLOEXEC), "fsopen", "proc");
        Sys.Check(LibC.fsconfig_setfd(fs.Fd, "pidns", pidNamespaceFd), "fsconfig", "proc pidns");
        Sys.Check(LibC.fsconfig_create_fs(fs.Fd), "fsconfig", "proc create");
        return OwnedFd.Check(LibC.fsmount(fs.Fd, LibC.FSMOUNT_CLOEXEC, Attributes(flags)), "fsmount", "proc");
    }

    /// <summary>Attaches a detached mount (<see cref="Create"/>) on <paramref name="target"/>.</summary>
    public static void Attach(OwnedFd mount, string target)
    {
        ArgumentNullException.ThrowIfNull(mount);
        Sys.Check(LibC.move_mount(mount.Fd, "", LibC.AT_FDCWD, target, LibC.MOVE_MOUNT_F_EMPTY_PATH), "move_mount", target);
    }

    private static uint Attributes(ulong flags)
    {
        var attributes = 0u;
        attributes |= (flags & LibC.MS_RDONLY) != 0 ? LibC.MOUNT_ATTR_RDONLY : 0;
        attributes |= (flags & LibC.MS_NOSUID) != 0 ? LibC.MOUNT_ATTR_NOSUID : 0;
        attributes |= (flags & LibC.MS_NODEV) != 0 ? LibC.MOUNT_ATTR_NODEV : 0;
        attributes |= (flags & LibC.MS_NOEXEC) != 0 ? LibC.MOUNT_ATTR_NOEXEC : 0;
        return attributes;
    }
}
