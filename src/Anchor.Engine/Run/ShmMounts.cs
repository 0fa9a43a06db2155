using System.Globalization;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// The container's /dev/shm by --ipc mode (moby daemon/container_operations_unix.go setupIpcDirs):
/// a tmpfs of --shm-size (64 MiB by default) for private and shareable, the host's /dev/shm for
/// host, the donor's for container:NAME, none at all for none.
/// </summary>
public static class ShmMounts
{
    /// <summary>docker's default --shm-size (daemon config DefaultShmSize).</summary>
    public const long DefaultSize = 64L * 1024 * 1024;

    /// <summary>The donor's /dev/shm before a start has resolved it (a path that cannot exist: pid 0).</summary>
    public const string Unresolved = "/proc/0/root/dev/shm";

    /// <summary>The donor's /dev/shm as this process reaches it, from the ipc namespace path a start resolved.</summary>
    public static string? DonorShm(IEnumerable<SpecNamespace> resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var path = resolved.FirstOrDefault(n => n.Type == "ipc")?.Path;
        return path is not null && path.EndsWith("/ns/ipc", StringComparison.Ordinal) ? path[..^"/ns/ipc".Length] + "/root/dev/shm" : null;
    }

    /// <summary>The spec with its /dev/shm bind pointed at <paramref name="donorShm"/> (the donor's pid changes when it restarts).</summary>
    public static Spec WithDonor(Spec spec, string? donorShm)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (donorShm is null)
        {
            return spec;
        }

        return spec with { Mounts = [.. spec.Mounts.Select(m => m.Destination == "/dev/shm" && m.Type == "bind" ? m with { Source = donorShm } : m)] };
    }

    /// <param name="donorShm">For container:NAME, the donor's /dev/shm as seen from here (/proc/PID/root/dev/shm).</param>
    public static IReadOnlyList<SpecMount> For(RunOptions options, string? donorShm)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.IpcMode;
        if (mode == "none")
        {
            return [];
        }

        if (mode == "host")
        {
            return [new SpecMount { Destination = "/dev/shm", Type = "bind", Source = "/dev/shm", Options = ["rbind", "rprivate"] }];
        }

        if (NamespaceModes.JoinedName(mode) is not null)
        {
            return [new SpecMount { Destination = "/dev/shm", Type = "bind", Source = donorShm ?? Unresolved, Options = ["rbind", "rprivate"] }];
        }

        var size = options.ShmSize > 0 ? options.ShmSize : DefaultSize;
        return [new SpecMount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=" + size.ToString(CultureInfo.InvariantCulture)] }];
    }
}
