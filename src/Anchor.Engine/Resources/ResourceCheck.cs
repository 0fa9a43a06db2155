using Anchor.Engine.Run;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Resources;

/// <summary>
/// docker's daemon checks of the cgroup flags (moby daemon/daemon_unix.go verifyPlatformContainerResources,
/// then adaptContainerSettings at create): what the host cannot limit is dropped with docker's warning,
/// what is inconsistent fails with docker's words (exit 125), reported by the daemon (errdefs.InvalidParameter;
/// --cgroup-parent's containment is Anchor's own check). The adapted options are what the record
/// keeps and inspect shows.
/// </summary>
public static class ResourceCheck
{
    /// <summary>6 MiB: the smallest --memory and --memory-reservation docker accepts (linuxMinMemory).</summary>
    public const long MinMemory = 6 * 1024 * 1024;

    public const long MaxCpuShares = 262_144;

    /// <param name="update">docker update's checks: --memory-swap alone is allowed (the container's --memory counts).</param>
    public static (RunOptions Options, IReadOnlyList<string> Warnings) Verify(RunOptions options, CgroupSupport host, bool update = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        var warnings = new List<string>();
        var memory = options.MemoryBytes ?? 0;
        var swap = options.MemorySwap ?? 0;
        if (memory > 0 && swap != -1 && !host.SwapLimit)
        {
            warnings.Add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            swap = -1;
        }

        if (memory > 0 && swap > 0 && swap < memory)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Minimum memoryswap limit should be larger than memory limit, see usage");
        }

        if (memory == 0 && swap > 0 && !update)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "You should always set the Memory limit when using Memoryswap limit, see usage");
        }

        var reservation = options.MemoryReservation ?? 0;
        if (reservation > 0 && reservation < MinMemory)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Minimum memory reservation allowed is 6MB");
        }

        if (memory > 0 && reservation > 0 && memory < reservation)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Minimum memory limit can not be less than memory reservation limit, see usage");
        }

        var oomKillDisable = options.OomKillDisable;
        if (oomKillDisable && !host.OomKillDisable)
        {
            warnings.Add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            oomKillDisable = false;
        }

        if (oomKillDisable && memory == 0)
        {
            warnings.Add("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        }

        var shares = options.CpuShares;
        if (shares is < 0)
        {
            throw new EngineException($"invalid CPU shares ({shares}): value must be a positive integer");
        }

        if (shares is > 0 && !host.CpuShares)
        {
            warnings.Add("Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
            shares = null;
        }

        var (cpus, mems) = (options.CpusetCpus, options.CpusetMems);
        if ((!string.IsNullOrEmpty(cpus) || !string.IsNullOrEmpty(mems)) && !host.Cpuset)
        {
            warnings.Add("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
            (cpus, mems) = (null, null);
        }

        if (!string.IsNullOrEmpty(cpus) && !CpusetList.IsAvailable(cpus, host.Cpus, "cpus"))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Requested CPUs are not available - requested {cpus}, available: {host.Cpus}");
        }

        if (!string.IsNullOrEmpty(mems) && !CpusetList.IsAvailable(mems, host.Mems, "mems"))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Requested memory nodes are not available - requested {mems}, available: {host.Mems}");
        }

        var weight = options.BlkioWeight;
        if (weight is > 0 && !host.BlkioWeight)
        {
            warnings.Add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            weight = null;
        }

        if (weight is > 0 and (< 10 or > 1000))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Range of blkio weight is from 10 to 1000");
        }

        if (options.CgroupParent is { Length: > 0 } parent && CgroupParent.Normalize(parent) is null)
        {
            throw new EngineException($"invalid --cgroup-parent \"{parent}\": the path must stay below the cgroup root (no \"..\")");
        }

        // adaptContainerSettings: with --memory alone, memory+swap is twice the memory.
        if (!update && memory > 0 && swap == 0)
        {
            swap = memory * 2;
        }

        return (options with
        {
            MemorySwap = swap == 0 ? null : swap,
            OomKillDisable = oomKillDisable,
            CpuShares = shares is 0 ? null : shares,
            CpusetCpus = string.IsNullOrEmpty(cpus) ? null : cpus,
            CpusetMems = string.IsNullOrEmpty(mems) ? null : mems,
            BlkioWeight = weight is 0 ? null : weight,
            CgroupParent = string.IsNullOrEmpty(options.CgroupParent) ? null : options.CgroupParent,
        }, warnings);
    }
}
