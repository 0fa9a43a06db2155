using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// Builds the container's filesystem inside its new mount namespace, then pivots into it
/// (pivot_root(2): "." onto "." then a lazy unmount of the old root, as runc does; never chroot).
/// Everything here lives and dies with the mount namespace: the host sees none of these mounts.
/// </summary>
public static class RootfsSetup
{
    /// <param name="deferProc">Leave the procfs mounts out: a process outside the container's pid
    /// namespace mounts it once the container's first process exists (<see cref="ProcMount"/>).</param>
    /// <param name="privateAlready">The caller has made "/" private (<see cref="MakePrivate"/>).</param>
    /// <param name="cgroupReady">Waits until the container's cgroup exists (made on another thread),
    /// before a "cgroup" mount binds its directories; null when it exists already.</param>
    public static void Prepare(Spec spec, bool deferProc = false, bool privateAlready = false, Action? cgroupReady = null)
    {
        if (!privateAlready)
        {
            MakePrivate();
        }

        var root = spec.Root.Path;
        var rootMount = spec.Mounts.FirstOrDefault(m => m.Destination == "/");
        if (rootMount is not null)
        {
            var options = MountOptions.Parse(rootMount.Options);
            Sys.Mount(rootMount.Source, root, rootMount.Type, options.Flags & ~LibC.MS_RDONLY, options.Data);
        }
        else
        {
            // pivot_root needs the new root to be a mount point.
            Sys.Mount(root, root, null, LibC.MS_BIND | LibC.MS_REC);
        }

        foreach (var mount in spec.Mounts)
        {
            if (mount.Destination == "/" || (deferProc && mount.Type == "proc"))
            {
                continue;
            }

            if (mount.Type == "cgroup")
            {
                cgroupReady?.Invoke();
                CgroupMount.Mount(ScopedPath.Join(root, mount.Destination), mount, spec.Linux.CgroupsPath);
                continue;
            }

            MountOne(root, mount);
        }

        if (spec.Mounts.Any(m => m.Destination == "/dev" && m.Type == "tmpfs"))
        {
            Devices.Create(ScopedPath.Join(root, "/dev"));
        }
    }

    /// <summary>Stops mount events propagating back to the host (mount_namespaces(7)).</summary>
    public static void MakePrivate() => Sys.Mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE);

    private static void MountOne(string root, SpecMount mount)
    {
        var target = ScopedPath.Join(root, mount.Destination);
        var options = MountOptions.Parse(mount.Options);
        var source = mount.Source ?? mount.Type ?? "none";
        if (options.Bind && File.Exists(source) && !Directory.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.WriteAllBytes(target, []);
            }
        }
        else
        {
            Directory.CreateDirectory(target);
        }

        if (options.Bind)
        {
            Sys.Mount(source, target, null, options.Flags & (LibC.MS_BIND | LibC.MS_REC));
            var extra = options.Flags & ~(LibC.MS_BIND | LibC.MS_REC);
            if (extra != 0)
            {
                // Bind mounts ignore other flags until remounted (mount(2), MS_BIND).
                Sys.Mount(null, target, null, LibC.MS_BIND | LibC.MS_REMOUNT | extra);
            }
        }
        else
        {
            Sys.Mount(source, target, mount.Type, options.Flags, options.Data);
        }

        if (options.Propagation != 0)
        {
            Sys.Mount(null, target, null, options.Propagation);
        }
    }

    /// <summary>The spec's hostname, in the container's own uts namespace only (sethostname(2) acts on the caller's).</summary>
    public static void SetHostname(Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Hostname is { Length: > 0 } hostname && spec.Linux.Namespaces.Any(n => n.Type == "uts"))
        {
            Sys.Check(LibC.sethostname(hostname, System.Text.Encoding.UTF8.GetByteCount(hostname)), "sethostname", hostname);
        }
    }

    public static void PivotRoot(string root)
    {
        Sys.Check(LibC.chdir(root), "chdir", root);
        Sys.Check(LibC.pivot_root(".", "."), "pivot_root", root);
        // The old root is now stacked under "."; detach it so nothing of the host stays reachable.
        Sys.Umount(".", LibC.MNT_DETACH);
        Sys.Check(LibC.chdir("/"), "chdir", "/");
    }

    public static void MakeRootReadOnly() =>
        Sys.Mount(null, "/", null, LibC.MS_BIND | LibC.MS_REMOUNT | LibC.MS_RDONLY);
}
