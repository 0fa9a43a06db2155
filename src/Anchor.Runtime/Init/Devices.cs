using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// The device nodes and links every container gets in its /dev tmpfs
/// (runtime spec config-linux.md "Default Devices" and "/dev symbolic links").
/// </summary>
public static class Devices
{
    private static readonly (string Name, uint Major, uint Minor)[] Nodes =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Link, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx"), ("core", "/proc/kcore"),
    ];

    /// <summary>Creates the nodes under <paramref name="dev"/> (the rootfs's /dev, before pivot_root).</summary>
    public static void Create(string dev)
    {
        const uint mode = 0x1B6; // 0666: mknod obeys the umask, so chmod afterwards.
        foreach (var (name, major, minor) in Nodes)
        {
            var path = Path.Combine(dev, name);
            if (LibC.mknod(path, LibC.S_IFCHR | mode, LibC.makedev(major, minor)) < 0 && Sys.LastErrno != LibC.EEXIST)
            {
                throw LinuxException.FromLastError("mknod", path);
            }

            Sys.Chmod(path, mode);
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
}
