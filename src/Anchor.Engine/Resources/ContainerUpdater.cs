using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Linux;
using Anchor.Oci.Runtime;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Resources;

/// <summary>
/// docker update (moby daemon/update.go, container.UpdateContainer): the given limits and restart
/// policy are merged into the container's options with docker's rules, written live into a running
/// (or paused) container's cgroup, then kept in its record (inspect) and bundle (the next start and
/// the monitor's restarts). A failed live write leaves the record as it was.
/// </summary>
public sealed class ContainerUpdater(AnchorPaths paths, ContainerStore containers)
{
    /// <summary>Updates one container; returns docker's warnings (the host could not honour a flag).</summary>
    public IReadOnlyList<string> Update(string nameOrId, ResourceUpdate update, CgroupSupport host)
    {
        ArgumentNullException.ThrowIfNull(update);
        var found = containers.Find(nameOrId);
        var (given, warnings) = ResourceCheck.Verify(AsOptions(update), host, update: true);

        // The container's lock: no start reads the bundle half-way, no rm removes it meanwhile.
        using var held = DirectoryLock.Acquire(paths.ContainerDirectory(found.Id)) ?? throw EngineException.NoSuchContainer(nameOrId);
        var record = containers.Get(found.Id) ?? throw EngineException.NoSuchContainer(nameOrId);
        record = ProcessLiveness.Refresh(record);
        var current = record.Options ?? new RunOptions { Image = record.Image };
        var merged = Merge(record, current, given, update.Restart);

        if (record.Status is ContainerStatus.Running or ContainerStatus.Paused)
        {
            try
            {
                ContainerCgroup.Of(record).Update(ContainerResources.ForUpdate(merged));
            }
            catch (CgroupException e)
            {
                // Put back what was written before the failure (the kernel took some values).
                TryRestore(record, current);
                throw Cannot(record, e.Message);
            }
        }

        var bundle = new Bundle(paths.ContainerDirectory(record.Id));
        if (File.Exists(bundle.ConfigPath))
        {
            var spec = bundle.Read();
            var resources = spec.Linux.Resources ?? new SpecResources();
            bundle.Write(spec with
            {
                Linux = spec.Linux with
                {
                    Resources = resources with
                    {
                        Memory = ContainerResources.Memory(merged),
                        Cpu = ContainerResources.Cpu(merged),
                        Pids = merged.PidsLimit is { } p ? new SpecPids { Limit = p } : null,
                        BlockIo = ContainerResources.BlockIo(merged),
                    },
                },
            });
        }

        containers.Modify(record.Id, r => r with { Options = merged });
        return warnings;
    }

    /// <summary>
    /// docker's UpdateContainer: a given value replaces the container's, an unset one keeps it;
    /// --memory alone must stay within the memory+swap limit already set (docker's check compares
    /// with the recorded MemorySwap, so a container without one, or with -1, needs --memory-swap too).
    /// </summary>
    public static RunOptions Merge(ContainerRecord record, RunOptions current, RunOptions given, RestartPolicy? restart)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(given);
        var currentSwap = current.MemorySwap ?? (current.MemoryBytes is { } m ? m * 2 : 0);
        if (given.MemoryBytes is { } memory && memory > currentSwap && given.MemorySwap is null)
        {
            throw Cannot(record, "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }

        if (restart is not null && record.AutoRemove && restart.Name != RestartPolicy.No.Name)
        {
            throw Cannot(record, "Restart policy cannot be updated because AutoRemove is enabled for the container");
        }

        var merged = current with
        {
            MemoryBytes = given.MemoryBytes ?? current.MemoryBytes,
            MemorySwap = given.MemorySwap ?? current.MemorySwap ?? (current.MemoryBytes is { } mb ? mb * 2 : null),
            MemoryReservation = given.MemoryReservation ?? current.MemoryReservation,
            CpuQuota = given.CpuQuota ?? current.CpuQuota,
            CpuShares = given.CpuShares ?? current.CpuShares,
            CpusetCpus = given.CpusetCpus ?? current.CpusetCpus,
            CpusetMems = given.CpusetMems ?? current.CpusetMems,
            // docker: 0 and -1 clear the limit.
            PidsLimit = given.PidsLimit is { } pids ? (pids > 0 ? pids : null) : current.PidsLimit,
            BlkioWeight = given.BlkioWeight ?? current.BlkioWeight,
            Restart = restart ?? current.Restart,
        };

        // What the kernel would refuse (memsw below the limit): docker's wording for it at create.
        if (merged.MemoryBytes is > 0 && merged.MemorySwap is > 0 && merged.MemorySwap < merged.MemoryBytes)
        {
            throw Cannot(record, "Minimum memoryswap limit should be larger than memory limit, see usage");
        }

        if (merged.MemoryBytes is > 0 && merged.MemoryReservation is > 0 && merged.MemoryBytes < merged.MemoryReservation)
        {
            throw Cannot(record, "Minimum memory limit can not be less than memory reservation limit, see usage");
        }

        return merged;
    }

    private static RunOptions AsOptions(ResourceUpdate update) => new()
    {
        Image = "",
        MemoryBytes = update.Memory,
        MemorySwap = update.MemorySwap,
        MemoryReservation = update.MemoryReservation,
        CpuQuota = update.CpuQuota,
        CpuShares = update.CpuShares,
        CpusetCpus = update.CpusetCpus,
        CpusetMems = update.CpusetMems,
        PidsLimit = update.PidsLimit,
        BlkioWeight = update.BlkioWeight,
    };

    private static void TryRestore(ContainerRecord record, RunOptions current)
    {
        try
        {
            ContainerCgroup.Of(record).Update(ContainerResources.ForUpdate(current));
        }
        catch (CgroupException)
        {
            // The original failure is what the user needs to see.
        }
    }

    private static EngineException Cannot(ContainerRecord record, string reason) => EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Cannot update container {record.Id}: {reason}", 1);
}
