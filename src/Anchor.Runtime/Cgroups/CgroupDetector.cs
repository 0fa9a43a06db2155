using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Tells the unified hierarchy from v1/hybrid: on a pure v2 host the root is itself a cgroup2
/// mount; on v1 and hybrid hosts it is a tmpfs holding one mount per hierarchy
/// (cgroup-v2.rst "Mounting"; systemd's cg_unified_cached does the same statfs check).
/// </summary>
public static class CgroupDetector
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    public static CgroupVersion Detect(string root = DefaultRoot)
    {
        if (LibC.statfs(root, out var buf) < 0)
        {
            throw new CgroupException($"cgroup: cannot inspect {root}: {LinuxException.FromLastError("statfs", root).Message}");
        }

        return buf.f_type == LibC.CGROUP2_SUPER_MAGIC ? CgroupVersion.V2 : CgroupVersion.V1;
    }
}
