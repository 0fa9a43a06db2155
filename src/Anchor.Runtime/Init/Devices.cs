using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Init;

/// <summary>
/// The device nodes and links of the container's /dev tmpfs (runtime spec config-linux.md "Default
/// Devices", "Devices" and "/dev symbolic links"): the default nodes, then the spec's own (--device,
/// --privileged), the ptmx link and the fd links, in runc's order (libcontainer/rootfs_linux.go
/// createDevices, setupPtmx, setupDevSymlinks). Creating a node grants nothing by itself: whether it
/// can be opened is the device cgroup's decision (<see cref="Cgroups.DeviceRuleSet"/>).
/// </summary>
public static class Devices
{
    private const uint DefaultMode = 0x1B6; // 0666
    private const uint DirectoryMode = 0x1ED; // 0755
    private const uint PermissionBits = 0xFFF; // 07777: what chmod(2) sets

    private static readonly (string Name, uint Major, uint Minor)[] Nodes =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Link, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx"), ("core", "/proc/kcore"),
    ];

    /// <summary>
    /// /dev is the container's own tmpfs: a bind over it (-v /dev:/dev) is used as it is and gets no
    /// node, link or removal (runc's needsSetupDev): those would land in the host's /dev.
    /// </summary>
    public static bool NeedsSetup(Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Mounts.Any(m => Normalize(m.Destination) == "/dev" && m.Type == "tmpfs")
            && !spec.Mounts.Any(m => Normalize(m.Destination) == "/dev" && MountOptions.Parse(m.Options).Bind);
    }

    /// <summary>Creates the nodes in the rootfs <paramref name="root"/> (before pivot_root); /dev is its fresh tmpfs.</summary>
    public static void Create(string root, IReadOnlyList<SpecDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var dev = ScopedPath.Join(root, "/dev");

        // A spec device at a default node's path replaces it (runc drops that default).
        var specPaths = devices.Select(d => Normalize(d.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, major, minor) in Nodes)
        {
            if (!specPaths.Contains("/dev/" + name))
            {
                MakeNode(Path.Combine(dev, name), LibC.S_IFCHR, DefaultMode, LibC.makedev(major, minor), 0, 0);
            }
        }

        foreach (var device in devices)
        {
            var path = ScopedPath.Join(root, device.Path);
            MakeParents(root, path);
            var mode = (device.FileMode ?? DefaultMode) & PermissionBits;
            MakeNode(path, FileType(device), mode, LibC.makedev((uint)device.Major, (uint)device.Minor), device.Uid ?? 0, device.Gid ?? 0);
        }

        // /dev/ptmx is the devpts instance's own ptmx, even when the spec names a node there (the host's,
        // with --privileged): runc's setupPtmx replaces it the same way.
        var ptmx = Path.Combine(dev, "ptmx");
        if (specPaths.Contains("/dev/ptmx") && LibC.unlink(ptmx) < 0 && Sys.LastErrno != LibC.ENOENT)
        {
            throw LinuxException.FromLastError("unlink", ptmx);
        }

        foreach (var (link, target) in Links)
        {
            var path = Path.Combine(dev, link);
            if (LibC.symlink(target, path) < 0 && Sys.LastErrno != LibC.EEXIST)
            {
                throw LinuxException.FromLastError("symlink", path);
            }
        }
    }

    /// <summary>
    /// mknod(2), then chmod(2) (mknod obeys the umask) and the owner. A node already there is left as it
    /// is, as runc leaves it.
    /// </summary>
    private static void MakeNode(string path, uint type, uint mode, ulong dev, uint uid, uint gid)
    {
        if (LibC.mknod(path, type | mode, dev) < 0)
        {
            if (Sys.LastErrno == LibC.EEXIST)
            {
                return;
            }

            throw LinuxException.FromLastError("mknod", path);
        }

        Sys.Chmod(path, mode);
        if (uid != 0 || gid != 0)
        {
            Sys.Lchown(path, uid, gid);
        }
    }

    /// <summary>The directories above a node (/dev/net for /dev/net/tun), 0755 as runc makes them.</summary>
    private static void MakeParents(string root, string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null || parent.Length <= root.TrimEnd('/').Length || Directory.Exists(parent))
        {
            return;
        }

        MakeParents(root, parent);
        Sys.Mkdir(parent, DirectoryMode);
    }

    /// <summary>A container path with "//", "." and ".." resolved lexically, as the spec's paths compare.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    private static uint FileType(SpecDevice device) => device.Type switch
    {
        "c" or "u" => LibC.S_IFCHR,
        "b" => LibC.S_IFBLK,
        "p" => LibC.S_IFIFO,
        _ => throw new InvalidOperationException($"device {device.Path}: invalid type \"{device.Type}\" (c, b, u or p)"),
    };
}
