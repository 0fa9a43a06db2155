namespace Anchor.Runtime.Cgroups;

/// <summary>
/// What the host's cgroups can limit, as docker's daemon asks before it accepts a flag
/// (moby pkg/sysinfo: a flag the host cannot honour is dropped with a warning).
/// </summary>
/// <param name="Cpus">The CPUs containers may use (the root cpuset's), e.g. "0-1".</param>
/// <param name="Mems">The memory nodes, e.g. "0".</param>
public sealed record CgroupSupport(bool SwapLimit, bool OomKillDisable, bool CpuShares, bool Cpuset, bool BlkioWeight, string Cpus, string Mems)
{
    public static CgroupSupport Detect(string root = CgroupDetector.DefaultRoot)
    {
        string Read(string path) => (CgroupFs.ReadOrNull(Path.Combine(root, path)) ?? "").Trim();
        if (CgroupDetector.Detect(root) == CgroupVersion.V2)
        {
            // moby sysinfo cgroup2: swap follows the memory controller; v2 has no OOM-killer switch.
            var controllers = Read("cgroup.controllers").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var cpuset = controllers.Contains("cpuset");
            return new CgroupSupport(
                SwapLimit: controllers.Contains("memory"),
                OomKillDisable: false,
                CpuShares: controllers.Contains("cpu"),
                Cpuset: cpuset,
                BlkioWeight: controllers.Contains("io"),
                Cpus: cpuset ? Read("cpuset.cpus.effective") : "",
                Mems: cpuset ? Read("cpuset.mems.effective") : "");
        }

        var hasCpuset = File.Exists(Path.Combine(root, "cpuset", "cpuset.cpus"));
        return new CgroupSupport(
            SwapLimit: File.Exists(Path.Combine(root, "memory", "memory.memsw.limit_in_bytes")),
            OomKillDisable: File.Exists(Path.Combine(root, "memory", "memory.oom_control")),
            CpuShares: File.Exists(Path.Combine(root, "cpu", "cpu.shares")),
            Cpuset: hasCpuset,
            BlkioWeight: File.Exists(Path.Combine(root, "blkio", "blkio.weight")),
            Cpus: hasCpuset ? Read("cpuset/cpuset.effective_cpus") : "",
            Mems: hasCpuset ? Read("cpuset/cpuset.effective_mems") : "");
    }
}
