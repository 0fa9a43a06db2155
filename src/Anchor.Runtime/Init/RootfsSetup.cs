using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// The filesystem primitives of the setup sequence (<see cref="SetupSequence"/> orders them): a spec
/// mount, pivot_root(2) ("." onto "." then a lazy unmount of the old root, as runc does; never
/// chroot), a read-only root. Everything lives and dies with the container's mount namespace: the
/// host sees none of these mounts.
/// </summary>
public static class RootfsSetup
{
    /// <summary>The whole filesystem part of the sequence with the real steps (cp's private mount of a stopped container).</summary>
    public static void Prepare(Spec spec) => SetupSequence.Filesystem(spec, KernelSetupSteps.Instance);

    /// <summary>Stops mount events propagating back to the host (mount_namespaces(7)).</summary>
    public static void MakePrivate() => Sys.Mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE);

    /// <summary>One spec mount under <paramref name="root"/>: the mount point made, then mount(2), a bind remounted with its flags, the propagation set.</summary>
    public static void MountOne(string root, SpecMount mount)
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
            if (ForeignBind.TryParse(source, out var pid, out var path))
            {
                ForeignBind.Mount(pid, path, target);
            }
            else
            {
                Sys.Mount(source, target, null, options.Flags & (LibC.MS_BIND | LibC.MS_REC));
            }

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
