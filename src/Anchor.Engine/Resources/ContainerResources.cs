using Anchor.Engine.Run;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Resources;

/// <summary>
/// The cgroup limits of a container's spec from its options (moby daemon/daemon_unix.go
/// getMemoryResources, getCPUResources): only what was given, so an unset value stays the kernel's
/// default. The device rules are added by <see cref="SpecFactory.Resources"/>.
/// </summary>
public static class ContainerResources
{
    public static SpecMemory? Memory(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MemoryBytes is null && options.MemorySwap is null && options.MemoryReservation is null && !options.OomKillDisable)
        {
            return null;
        }

        return new SpecMemory
        {
            Limit = options.MemoryBytes,
            // Older records have no MemorySwap: docker's default, twice the memory.
            Swap = options.MemorySwap ?? (options.MemoryBytes is { } m ? m * 2 : null),
            Reservation = options.MemoryReservation,
            DisableOomKiller = options.OomKillDisable ? true : null,
        };
    }

    public static SpecCpu? Cpu(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CpuQuota is null && options.CpuShares is null && options.CpusetCpus is null && options.CpusetMems is null)
        {
            return null;
        }

        return new SpecCpu
        {
            Quota = options.CpuQuota,
            Period = options.CpuQuota is null ? null : Units.CpuQuota.Period,
            Shares = options.CpuShares is { } shares ? (ulong)shares : null,
            Cpus = options.CpusetCpus,
            Mems = options.CpusetMems,
        };
    }

    public static SpecBlockIo? BlockIo(RunOptions options) =>
        options?.BlkioWeight is { } weight ? new SpecBlockIo { Weight = weight } : null;

    /// <summary>
    /// What docker update writes to a running container's group: the limits the record now holds,
    /// with an unlimited pids.max and CFS quota spelled out (-1), since "unset" would leave the old
    /// value in place (moby getPidsLimit: runc needs -1 to clear a limit).
    /// </summary>
    public static SpecResources ForUpdate(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cpu = Cpu(options) ?? new SpecCpu();
        return new SpecResources
        {
            Memory = Memory(options),
            Cpu = cpu with { Quota = options.CpuQuota ?? -1, Period = Units.CpuQuota.Period },
            Pids = new SpecPids { Limit = options.PidsLimit ?? -1 },
            BlockIo = BlockIo(options),
        };
    }
}
