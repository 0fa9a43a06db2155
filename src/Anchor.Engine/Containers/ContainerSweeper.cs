using Anchor.Linux;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Containers;

/// <summary>
/// Reclaims what an anchor process killed half-way (SIGKILL, OOM, a crash) left behind, so that the
/// next command that looks at containers (ps, rm, container prune) finds it gone:
/// <list type="bullet">
/// <item>a container directory without a record (a run, create or build step killed before or
/// while writing the record), with the cgroup anchor/ID and the network leases made for it;</item>
/// <item>an abandoned container (<see cref="ProcessLiveness.IsAbandoned"/>): its owner (monitor,
/// foreground `anchor run`, build) died, so nobody will kill its processes, free its cgroup and
/// leases or, with --rm, remove it.</item>
/// </list>
/// What a live command is doing is never touched: every container directory is locked
/// (<see cref="DirectoryLock"/>) by the command that creates or starts it, from the mkdir until
/// the record is written (create) or says running (run, start), and the sweep only acts on a
/// directory whose lock it gets at once. The creator makes the directory before the cgroup, and
/// every exit path destroys the cgroup before the directory goes: a cgroup of this store
/// therefore always has its directory here (cgroups of other stores, which share anchor/, are
/// never looked at).
/// </summary>
/// <param name="reap">False to leave the trash to a later reaper (unit tests, which start no processes).</param>
public sealed class ContainerSweeper(AnchorPaths paths, ContainerStore containers, bool reap = true)
{
    private const int ExitCodeKilled = 137;

    /// <summary>Record-less directories whose creator is gone: cgroup, leases, runtime files and directory go.</summary>
    public void SweepDirectories()
    {
        if (!CanSweep() || !Directory.Exists(paths.Containers))
        {
            return;
        }

        var swept = false;
        foreach (var directory in Directory.GetDirectories(paths.Containers))
        {
            var id = Path.GetFileName(directory);
            if (!ContainerId.IsFullId(id) || containers.HasRecord(id))
            {
                continue;
            }

            BestEffort(() =>
            {
                using var held = DirectoryLock.TryAcquire(directory);
                // Held: being created right now. Recorded meanwhile: its creator finished.
                if (held is null || containers.HasRecord(id))
                {
                    return;
                }

                ReleaseResources(id);
                containers.Delete(id, reap: false);
                swept = true;
            });
        }

        if (swept && reap)
        {
            new State.Trash(paths).StartReaper();
        }
    }

    /// <summary>
    /// Reclaims the abandoned containers among <paramref name="records"/> (as read by the caller)
    /// and returns the records as they are afterwards (without those removed).
    /// </summary>
    public IReadOnlyList<ContainerRecord> SweepRecords(IReadOnlyList<ContainerRecord> records)
    {
        if (!CanSweep() || !records.Any(ProcessLiveness.IsAbandoned))
        {
            return records;
        }

        var result = new List<ContainerRecord>(records.Count);
        foreach (var record in records)
        {
            var now = record;
            if (ProcessLiveness.IsAbandoned(record))
            {
                BestEffort(() =>
                {
                    using var held = DirectoryLock.TryAcquire(paths.ContainerDirectory(record.Id));
                    if (held is not null)
                    {
                        now = containers.Get(record.Id) is { } current ? ReclaimIfAbandoned(current) : null;
                    }
                });
            }

            if (now is not null)
            {
                result.Add(now);
            }
        }

        return result;
    }

    /// <summary>
    /// With the container's directory lock held by the caller: if its owner died, kill what is
    /// left of it, free its cgroup and leases, and record it as exited (137, as a SIGKILL) or,
    /// with --rm, remove it. Returns the record afterwards, null when it is gone.
    /// </summary>
    public ContainerRecord? ReclaimIfAbandoned(ContainerRecord record)
    {
        if (!ProcessLiveness.IsAbandoned(record))
        {
            return record;
        }

        ReleaseResources(record.Id);
        if (record.AutoRemove)
        {
            new Volumes.VolumeService(new Volumes.VolumeStore(paths), containers).DeleteContainer(record.Id, reap: reap, current: record);
            return null;
        }

        var ran = record.Status is not (ContainerStatus.Created or ContainerStatus.Dead);
        return containers.Modify(record.Id, r => r with
        {
            Status = ran ? ContainerStatus.Exited : r.Status,
            ExitCode = ran ? ExitCodeKilled : r.ExitCode,
            FinishedAt = ran ? DateTimeOffset.UtcNow : r.FinishedAt,
            Pid = 0,
            MonitorPid = 0,
            OwnerPid = 0,
            OwnerStartTime = 0,
        });
    }

    /// <summary>Kills the container's processes and removes its cgroup, frees its leases and its run-root files.</summary>
    private void ReleaseResources(string id)
    {
        var cgroup = Resources.ContainerCgroup.Left(paths, id);
        try
        {
            // It may have died paused: frozen processes would not act on SIGKILL.
            cgroup.Freeze(false);
        }
        catch (CgroupException)
        {
            // No cgroup left (or no freezer): nothing is frozen.
        }

        cgroup.Destroy();
        Networks.NetworkAttachments.For(paths, containers).Release(id);
        DeleteQuietly(Path.GetDirectoryName(paths.AttachSocket(id))!);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Cgroups and leases are root's: other users' commands only look.</summary>
    private static bool CanSweep() => Linux.Interop.LibC.geteuid() == 0;

    /// <summary>Cleaning up after others never fails the command: what could not be done now, the next sweep retries.</summary>
    private static void BestEffort(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is EngineException or CgroupException or LinuxException or IOException or UnauthorizedAccessException)
        {
        }
    }
}
