using Anchor.Engine.Monitor;
using Anchor.Engine.Run;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Containers;

/// <summary>
/// The lifecycle verbs on existing containers: create, start, stop, kill, restart, wait, rm.
/// Every verb accepts a name, a full ID or a unique ID prefix.
/// </summary>
public sealed class ContainerLifecycle(AnchorPaths paths, ContainerStore containers, ContainerPreparer preparer)
{
    private const int SIGKILL = 9;

    public ContainerRecord Create(RunOptions options)
    {
        var id = ContainerId.New();
        var image = preparer.ResolveImage(options);
        var record = preparer.Reserve(options, id, image);
        try
        {
            var spec = preparer.WriteBundle(options, image, id, CgroupFactory.Create(id).Path);
            return containers.Modify(id, r => r with { Command = spec.Process.Args })!;
        }
        catch
        {
            containers.Delete(id);
            throw;
        }
    }

    /// <summary>Starts a created or stopped container under a new monitor.</summary>
    /// <param name="attachFd">
    /// start -a: one end of a connected socket pair, handed to the monitor (and closed here) so it is
    /// an attached client before the container runs and no output is lost; -1 for none.
    /// </param>
    public ContainerRecord Start(string nameOrId, int attachFd = -1)
    {
        var found = containers.Find(nameOrId);
        // One start at a time per container: concurrent starts must not launch two monitors.
        using var startLock = FileLock.Exclusive(Path.Combine(paths.ContainerDirectory(found.Id), "start.lock"));
        var record = ProcessLiveness.Refresh(containers.Get(found.Id) ?? found);
        ReapOrphan(record);
        if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused)
        {
            throw new EngineException($"cannot start container {record.Name}: container is already running");
        }

        record = containers.Modify(record.Id, r => r with { StoppedByUser = false }) ?? record;
        var networks = Networks.NetworkAttachments.For(paths, containers);
        try
        {
            // Leases before the monitor starts the init; the monitor releases them when the container exits.
            networks.Allocate(record.Id);
            new MonitorLauncher(paths, containers).Start(record, attachFd);
        }
        catch (EngineException) when (record.AutoRemove)
        {
            networks.Release(record.Id);
            containers.Delete(record.Id);
            throw;
        }
        catch
        {
            networks.Release(record.Id);
            throw;
        }

        return record;
    }

    /// <summary>
    /// docker stop: the image's STOPSIGNAL (default SIGTERM), then SIGKILL after the timeout; the
    /// restart policy does not bring a stopped container back.
    /// </summary>
    public void Stop(string nameOrId, int timeoutSeconds, int? signal = null)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        containers.Modify(record.Id, r => r with { StoppedByUser = true });
        ReapOrphan(record);
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused))
        {
            return;
        }

        ThawIfPaused(record);
        var stopSignal = signal ?? Signals.Parse(record.Options?.StopSignal ?? "SIGTERM");
        if (record.Pid > 0)
        {
            LibC.kill(record.Pid, stopSignal);
        }

        if (!WaitUntilStopped(record, TimeSpan.FromSeconds(Math.Max(timeoutSeconds, 0))))
        {
            CgroupFactory.Create(record.Id).Kill(SIGKILL);
            WaitUntilStopped(record, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>docker kill: a signal (default SIGKILL) to the container's main process.</summary>
    public void Kill(string nameOrId, int signal)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused) || record.Pid <= 0)
        {
            throw new EngineException($"cannot kill container: {nameOrId}: container {record.Id} is not running");
        }

        if (signal == SIGKILL)
        {
            containers.Modify(record.Id, r => r with { StoppedByUser = true });
            ThawIfPaused(record);
        }

        LibC.kill(record.Pid, signal);
        if (signal == SIGKILL)
        {
            WaitUntilStopped(record, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>docker pause/unpause: the cgroup freezer stops every process without a signal.</summary>
    public void Pause(string nameOrId, bool paused)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        if (paused && record.Status != ContainerStatus.Running)
        {
            throw new EngineException($"container {record.Id} is not running", 1);
        }

        if (!paused && record.Status != ContainerStatus.Paused)
        {
            throw new EngineException($"container {record.Id} is not paused", 1);
        }

        CgroupFactory.Create(record.Id).Freeze(paused);
        containers.Modify(record.Id, r => r with { Status = paused ? ContainerStatus.Paused : ContainerStatus.Running });
    }

    public void Rename(string nameOrId, string newName)
    {
        var id = containers.Find(nameOrId).Id;
        containers.Rename(id, newName);
        Networks.NetworkAttachments.For(paths, containers).RefreshPeers(id);
    }

    /// <summary>container prune: every container that is not running goes; returns their IDs.</summary>
    public IReadOnlyList<string> Prune()
    {
        var removed = new List<string>();
        foreach (var record in containers.List().Select(ProcessLiveness.Refresh))
        {
            if (record.Status is ContainerStatus.Exited or ContainerStatus.Created or ContainerStatus.Dead)
            {
                Remove(record.Id, force: true);
                removed.Add(record.Id);
            }
        }

        return removed;
    }

    public void Restart(string nameOrId, int timeoutSeconds)
    {
        Stop(nameOrId, timeoutSeconds);
        Start(nameOrId);
    }

    /// <summary>docker wait: blocks until the container stops; returns its exit code.</summary>
    public int Wait(string nameOrId)
    {
        var last = containers.Find(nameOrId);
        WaitFor(() =>
        {
            if (containers.Get(last.Id) is not { } current)
            {
                return true;
            }

            last = ProcessLiveness.Refresh(current);
            return last.Status is ContainerStatus.Exited or ContainerStatus.Dead;
        }, timeout: null, last.MonitorPid > 0 ? last.MonitorPid : last.Pid);
        return last.ExitCode;
    }

    /// <summary>rm: a running container needs force (SIGKILL first); then cgroup, directory and record go.</summary>
    public void Remove(string nameOrId, bool force, bool removeVolumes = false)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused)
        {
            if (!force)
            {
                throw new EngineException(
                    $"cannot remove container \"/{record.Name}\": container is running: stop the container before removing or force remove");
            }

            containers.Modify(record.Id, r => r with { StoppedByUser = true });
            ThawIfPaused(record);
            CgroupFactory.Create(record.Id).Kill(SIGKILL);
            if (record.Pid > 0)
            {
                LibC.kill(record.Pid, SIGKILL);
            }

            WaitUntilStopped(record, TimeSpan.FromSeconds(10));
        }

        if (record.MonitorPid > 0 && ProcessLiveness.IsAlive(record.MonitorPid))
        {
            // Let the monitor finish recording the exit before the record goes.
            WaitFor(() => !ProcessLiveness.IsAlive(record.MonitorPid), TimeSpan.FromSeconds(5), record.MonitorPid);
        }

        CgroupFactory.Create(record.Id).Destroy();
        var networks = Networks.NetworkAttachments.For(paths, containers);
        networks.Release(record.Id);
        new Volumes.VolumeService(new Volumes.VolumeStore(paths), containers).DeleteContainer(record.Id, removeVolumes);
        // rm is a command that notices: leases and kernel leftovers of containers that died without cleanup go too.
        networks.Reclaim(rules: true);
    }

    /// <summary>
    /// A container whose monitor died (shown Dead) may still have processes in its cgroup that nobody
    /// will reap or record: kill them, remove the cgroup, and record the container as exited, so
    /// that stop really stops it and start does not run a second copy beside it.
    /// </summary>
    private void ReapOrphan(ContainerRecord record)
    {
        if (record.Status != ContainerStatus.Dead)
        {
            return;
        }

        var cgroup = CgroupFactory.Create(record.Id);
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
        Networks.NetworkAttachments.For(paths, containers).Release(record.Id);
        containers.Modify(record.Id, r => r with { Status = ContainerStatus.Exited, ExitCode = 137, Pid = 0, MonitorPid = 0, FinishedAt = DateTimeOffset.UtcNow });
    }

    /// <summary>A frozen process acts on no signal, not even SIGKILL: thaw a paused container first.</summary>
    private static void ThawIfPaused(ContainerRecord record)
    {
        if (record.Status == ContainerStatus.Paused)
        {
            CgroupFactory.Create(record.Id).Freeze(false);
        }
    }

    /// <summary>
    /// Until the record says stopped or the process that owns the container (its monitor, or the
    /// init of an attached run) is gone; woken by that process's exit, not by a sleep tick.
    /// </summary>
    private bool WaitUntilStopped(ContainerRecord record, TimeSpan timeout) =>
        WaitFor(() =>
        {
            var current = containers.Get(record.Id);
            return current is null
                || current.Status is ContainerStatus.Exited or ContainerStatus.Dead or ContainerStatus.Created
                || (record.MonitorPid == 0 && !ProcessLiveness.IsAlive(record.Pid))
                || (record.MonitorPid > 0 && !ProcessLiveness.IsAlive(record.MonitorPid));
        }, timeout, record.MonitorPid > 0 ? record.MonitorPid : record.Pid);

    /// <param name="timeout">null: until the condition holds.</param>
    private static bool WaitFor(Func<bool> condition, TimeSpan? timeout, int watchedPid = 0)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        using var watch = new ProcessExitWatch(watchedPid);
        while (!condition())
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // At most 50 ms at a time: the condition can also become true without that process ending.
            watch.Wait(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
        }

        return true;
    }
}
