using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Init;

/// <summary>
/// A spec mount of type "cgroup" (runtime-spec config.md; runc's mountCgroupV1/V2): the container
/// sees its own cgroup, read-only, at the destination, so that runtimes that size themselves from
/// cgroupfs (the JVM, Go's GOMAXPROCS tools, .NET) find its limits. Each of the container's cgroup
/// directories is bind-mounted from the host: on v2 the one directory onto the destination, on v1
/// each hierarchy the container joined under a tmpfs (the host's names and cpu,cpuacct-style links
/// kept). With a private cgroup namespace (unshared by the exec tail once the process sits in that
/// cgroup) /proc/self/cgroup and mountinfo show these roots as "/", exactly as docker's fresh cgroup2
/// mount does; without one they show the host path, as docker's cgroupns=host does.
/// </summary>
public static class CgroupMount
{
    public static void Mount(string target, SpecMount mount, string? cgroupsPath, string cgroupRoot = CgroupDetector.DefaultRoot)
    {
        ArgumentNullException.ThrowIfNull(mount);
        if (string.IsNullOrEmpty(cgroupsPath))
        {
            throw new InvalidOperationException("a cgroup mount needs linux.cgroupsPath");
        }

        var options = MountOptions.Parse(mount.Options);
        var relative = cgroupsPath.Trim('/');
        Directory.CreateDirectory(target);
        if (CgroupDetector.Detect(cgroupRoot) == CgroupVersion.V2)
        {
            var own = Path.Combine(cgroupRoot, relative);
            if (!Directory.Exists(own))
            {
                throw new InvalidOperationException($"the container's cgroup {own} does not exist");
            }

            Sys.Mount(own, target, null, LibC.MS_BIND);
            SetFlags(target, options);
            return;
        }

        Sys.Mount("tmpfs", target, "tmpfs", LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC, "mode=755");
        var bound = 0;
        foreach (var entry in new DirectoryInfo(cgroupRoot).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is { } link)
            {
                // cpu -> cpu,cpuacct: the same link, to the hierarchy bound below (if it is).
                Sys.Symlink(link, Path.Combine(target, entry.Name));
                continue;
            }

            var source = Path.Combine(entry.FullName, relative);
            if (!Directory.Exists(source))
            {
                continue; // a hierarchy the container is not in (cpuset, the hybrid "unified" one)
            }

            var destination = Path.Combine(target, entry.Name);
            Directory.CreateDirectory(destination);
            Sys.Mount(source, destination, null, LibC.MS_BIND);
            bound++;
        }

        if (bound == 0)
        {
            // An empty view would hide the container's limits silently (a wrong cgroupsPath does that).
            throw new InvalidOperationException($"the container's cgroup {cgroupsPath} exists in no hierarchy under {cgroupRoot}");
        }

        // The tmpfs and every bind under it at once (a bind takes no flags of its own: mount(2), MS_BIND).
        SetFlags(target, options);
    }

    /// <summary>The spec's ro/nosuid/nodev/noexec on the mount and every mount below it: one mount_setattr(2).</summary>
    private static void SetFlags(string target, MountOptions options)
    {
        ulong attributes = 0;
        attributes |= options.ReadOnly ? LibC.MOUNT_ATTR_RDONLY : 0;
        attributes |= (options.Flags & LibC.MS_NOSUID) != 0 ? LibC.MOUNT_ATTR_NOSUID : 0;
        attributes |= (options.Flags & LibC.MS_NODEV) != 0 ? LibC.MOUNT_ATTR_NODEV : 0;
        attributes |= (options.Flags & LibC.MS_NOEXEC) != 0 ? LibC.MOUNT_ATTR_NOEXEC : 0;
        Sys.Check(LibC.mount_setattr(LibC.AT_FDCWD, target, LibC.AT_RECURSIVE, attributes), "mount_setattr", target);
    }
}
