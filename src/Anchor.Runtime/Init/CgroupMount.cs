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
        // The bind takes no flags of its own; they come with the read-only remount (mount(2), MS_BIND).
        var remount = LibC.MS_BIND | LibC.MS_REMOUNT | (options.Flags & (LibC.MS_RDONLY | LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC));
        var relative = cgroupsPath.Trim('/');
        Directory.CreateDirectory(target);
        if (CgroupDetector.Detect(cgroupRoot) == CgroupVersion.V2)
        {
            Bind(Path.Combine(cgroupRoot, relative), target, remount);
            return;
        }

        Sys.Mount("tmpfs", target, "tmpfs", LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC, "mode=755");
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
            Bind(source, destination, remount);
        }

        if (options.ReadOnly)
        {
            Sys.Mount(null, target, null, LibC.MS_REMOUNT | LibC.MS_RDONLY | LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC, "mode=755");
        }
    }

    private static void Bind(string source, string target, ulong remount)
    {
        Sys.Mount(source, target, null, LibC.MS_BIND);
        Sys.Mount(null, target, null, remount);
    }
}
