using Anchor.Engine.Events;
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
        var (record, held) = CreateHeld(options);
        held.Dispose();
        return record;
    }

    /// <summary>
    /// run -d: create, then start while still holding the container's lock, so that no rm, start
    /// or stop can come between the two (it waits, then finds the container running).
    /// </summary>
    public ContainerRecord CreateAndStart(RunOptions options)
    {
        var (record, held) = CreateHeld(options);
        using (held)
        {
            return StartHeld(record.Id, record.Id, attachFd: -1);
        }
    }

    /// <summary>The new container, and its directory's lock, held since the directory was made.</summary>
    private (ContainerRecord Record, DirectoryLock Held) CreateHeld(RunOptions options)
    {
        // --cidfile: refused before anything is made when the file exists (docker's order).
        using var cidFile = CidFile.Reserve(options.CidFile);
        var id = ContainerId.New();
        var image = preparer.ResolveImage(options);
        var held = ContainerClaim.Take(paths, id);
        try
        {
            preparer.Reserve(options, id, image);
            var spec = preparer.WriteBundle(options, image, id);
            // The lock keeps every other verb out until now, so the record is still there.
            var record = containers.Modify(id, r => r with { Command = Run.InitProcess.UserCommand(spec.Process.Args) })
                ?? throw EngineException.NoSuchContainer(id);
            cidFile.Write(id);
            EventLog.Emit(paths, EventLog.Container(record, "create"));
            return (record, held);
        }
        catch
        {
            containers.Delete(id);
            held.Dispose();
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
        // One start at a time per container, and no rm or stop in the middle of one: concurrent
        // starts must not launch two monitors, and a container must not be removed while its
        // monitor is starting it (it would run on without a record).
        using var held = LockExisting(found.Id, nameOrId);
        return StartHeld(found.Id, nameOrId, attachFd);
    }

    private ContainerRecord StartHeld(string id, string nameOrId, int attachFd)
    {
        var record = containers.Get(id) ?? throw NoSuchContainer(nameOrId);
        record = Sweeper.ReclaimIfAbandoned(record) ?? throw NoSuchContainer(nameOrId);
        record = ProcessLiveness.Refresh(record);
        if (IsRunning(record))
        {
            // docker: 304 Not Modified, which its CLI takes as success.
            if (attachFd >= 0)
            {
                LibC.close(attachFd);
            }

            return record;
        }

        // From now on the monitor owns it, not the foreground run that may have created it. A
        // container just created (run -d, create + start) already says so: no second durable write
        // of the record (two fsyncs) on the way to its start.
        if (record.StoppedByUser || record.OwnerPid != 0 || record.OwnerStartTime != 0)
        {
            record = containers.Modify(record.Id, r => r with { StoppedByUser = false, OwnerPid = 0, OwnerStartTime = 0 }) ?? throw NoSuchContainer(nameOrId);
        }
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
    /// <param name="timeoutSeconds">stop -t; null: the container's --stop-timeout, else docker's 10; negative: no SIGKILL, wait for ever.</param>
    public void Stop(string nameOrId, int? timeoutSeconds, int? signal = null)
    {
        var found = containers.Find(nameOrId);
        ContainerRecord record;
        using (LockExisting(found.Id, nameOrId))
        {
            // Under the lock: a start in progress has finished, and stop sees what it started.
            record = containers.Modify(found.Id, r => r with { StoppedByUser = true }) ?? throw NoSuchContainer(nameOrId);
            if (Sweeper.ReclaimIfAbandoned(record) is not { } current || !IsRunning(ProcessLiveness.Refresh(current)))
            {
                return;
            }

            record = ProcessLiveness.Refresh(current);
            ThawIfPaused(record);
            var stopSignal = signal ?? Signals.Parse(record.Options?.StopSignal ?? "SIGTERM");
            if (record.Pid > 0)
            {
                EventLog.Emit(paths, KillEvent(record, stopSignal));
                LibC.kill(record.Pid, stopSignal);
            }
        }

        var seconds = StopTimeouts.Effective(timeoutSeconds, record.Options);
        if (seconds < 0)
        {
            WaitUntilStopped(record, timeout: null);
            return;
        }

        if (!WaitUntilStopped(record, TimeSpan.FromSeconds(seconds)))
        {
            EventLog.Emit(paths, KillEvent(record, SIGKILL));
            Resources.ContainerCgroup.Of(record).Kill(SIGKILL);
            WaitUntilStopped(record, TimeSpan.FromSeconds(10));
        }

        // docker's order: kill, die (the container's owner reports it), stop.
        EventLog.Emit(paths, EventLog.Container(record, "stop"));
    }

    private static Events.EngineEvent KillEvent(ContainerRecord record, int signal) =>
        EventLog.Container(record, "kill", ("signal", signal.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// docker kill: a signal (default SIGKILL) to the container's main process. Every failure,
    /// a missing container included, is docker's daemon's "Cannot kill container: NAME: …" (its
    /// API router wraps what the kill returned, moby api/server/router/container postContainersKill).
    /// </summary>
    public void Kill(string nameOrId, int signal)
    {
        try
        {
            KillFound(nameOrId, signal);
        }
        catch (EngineException e)
        {
            throw EngineException.Daemon(e.Kind, $"Cannot kill container: {nameOrId}: {e.Message}", e.ExitCode);
        }
    }

    private void KillFound(string nameOrId, int signal)
    {
        var record = ProcessLiveness.Refresh(containers.Find(nameOrId));
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused) || record.Pid <= 0)
        {
            throw NotRunning(record);
        }

        if (signal == SIGKILL)
        {
            containers.Modify(record.Id, r => r with { StoppedByUser = true });
            ThawIfPaused(record);
        }

        EventLog.Emit(paths, KillEvent(record, signal));
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
        // moby daemon/pause.go and unpause.go, in their order (a paused container counts as running there).
        if (paused && record.Status == ContainerStatus.Paused)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"Container {record.Id} is already paused", 1);
        }

        if (paused && record.Status != ContainerStatus.Running)
        {
            throw NotRunning(record);
        }

        if (!paused && record.Status != ContainerStatus.Paused)
        {
            // A plain error in moby (HTTP 500), not errdefs.Conflict.
            throw EngineException.Daemon(EngineErrorKind.Internal, $"Container {record.Id} is not paused", 1);
        }

        Resources.ContainerCgroup.Of(record).Freeze(paused);
        containers.Modify(record.Id, r => r with { Status = paused ? ContainerStatus.Paused : ContainerStatus.Running });
        EventLog.Emit(paths, EventLog.Container(record, paused ? "pause" : "unpause"));
    }

    public void Rename(string nameOrId, string newName)
    {
        var found = containers.Find(nameOrId);
        if (found.Name == (newName.StartsWith('/') ? newName[1..] : newName))
        {
            // moby daemon/rename.go, checked before the new name is reserved.
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "Renaming a container with the same name as its current name", 1);
        }

        var id = found.Id;
        containers.Rename(id, newName);
        EventLog.Emit(paths, EventLog.Container(found with { Name = newName }, "rename", ("oldName", "/" + found.Name)));
        Networks.NetworkAttachments.For(paths, containers).RefreshPeers(id);
    }

    /// <summary>container prune: every container that is not running goes; returns their IDs.</summary>
    public IReadOnlyList<string> Prune() => Prune(null);

    /// <summary>container prune --filter until=/label=/label!= (labels: <paramref name="labels"/> of a record).</summary>
    public IReadOnlyList<string> Prune(Filters.PruneFilter? filter, Func<ContainerRecord, IReadOnlyDictionary<string, string>?>? labels = null)
    {
        Sweeper.SweepDirectories();
        var removed = new List<string>();
        foreach (var record in containers.List().Select(ProcessLiveness.Refresh))
        {
            if (record.Status is ContainerStatus.Exited or ContainerStatus.Created or ContainerStatus.Dead
                && (filter is null || filter.Matches(record.Created, labels?.Invoke(record))))
            {
                try
                {
                    // Not forced: one that a start (or its foreground run) was setting up is running by now and stays.
                    RemoveOne(record.Id, force: false, removeVolumes: false);
                    removed.Add(record.Id);
                }
                catch (EngineException)
                {
                    // Started, or removed by someone else (its --rm, an rm), meanwhile: not ours to remove.
                }
            }
        }

        Networks.NetworkAttachments.For(paths, containers).Reclaim(rules: true);
        return removed;
    }

    public void Restart(string nameOrId, int? timeoutSeconds)
    {
        Stop(nameOrId, timeoutSeconds);
        var record = Start(nameOrId);
        EventLog.Emit(paths, EventLog.Container(record, "restart"));
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

        // Removed (--rm) before the wait saw it exit: the record we last read still says running.
        return last.Status is ContainerStatus.Exited or ContainerStatus.Dead || containers.Get(last.Id) is not null
            ? last.ExitCode
            : LastExit.Of(paths, last.Id) ?? last.ExitCode;
    }

    /// <summary>rm: a running container needs force (SIGKILL first); then cgroup, directory and record go.</summary>
    public void Remove(string nameOrId, bool force, bool removeVolumes = false)
    {
        RemoveOne(nameOrId, force, removeVolumes);
        // rm is a command that notices: leases and kernel leftovers of containers that died
        // without cleanup go too, and directories whose creator was killed.
        Networks.NetworkAttachments.For(paths, containers).Reclaim(rules: true);
        Sweeper.SweepDirectories();
    }

    /// <summary>
    /// rm of several containers (docker's CLI sends its removals in parallel too): each removed as
    /// <see cref="Remove"/> removes one, up to <see cref="RemoveParallelism"/> at once (most of a
    /// removal is waiting: for a killed container's monitor, for locks, for the file system), and
    /// the store's sweep once at the end. The outcome of each, in the order given: null when removed.
    /// </summary>
    public Exception?[] RemoveAll(IReadOnlyList<string> namesOrIds, bool force, bool removeVolumes = false)
    {
        ArgumentNullException.ThrowIfNull(namesOrIds);
        var outcomes = new Exception?[namesOrIds.Count];
        Parallel.For(0, namesOrIds.Count, new ParallelOptions { MaxDegreeOfParallelism = RemoveParallelism }, i =>
        {
            try
            {
                RemoveOne(namesOrIds[i], force, removeVolumes);
            }
            catch (Exception e)
            {
                outcomes[i] = e;
            }
        });
        Networks.NetworkAttachments.For(paths, containers).Reclaim(rules: true);
        Sweeper.SweepDirectories();
        return outcomes;
    }

    private static int RemoveParallelism => Math.Clamp(Environment.ProcessorCount * 4, 4, 16);

    private void RemoveOne(string nameOrId, bool force, bool removeVolumes)
    {
        var found = containers.Find(nameOrId);
        // A start (or the run that creates it) finishes first, so what it starts is killed here
        // rather than left running without a record; a second rm finds nothing.
        using var held = LockExisting(found.Id, nameOrId);
        var stored = containers.Get(found.Id) ?? throw NoSuchContainer(nameOrId);
        if (Sweeper.ReclaimIfAbandoned(stored) is not { } reclaimed)
        {
            // It was abandoned with --rm: the reclaim removed it.
            return;
        }

        var record = ProcessLiveness.Refresh(reclaimed);
        if (IsRunning(record))
        {
            if (!force)
            {
                throw new EngineException(
                    $"cannot remove container \"/{record.Name}\": container is running: stop the container before removing or force remove");
            }

            // Not flushed (two fsyncs): the record is removed below, and after a crash in between
            // the container is dead anyway and the flag only stops a restart policy.
            containers.Modify(record.Id, r => r with { StoppedByUser = true }, durable: false);
            ThawIfPaused(record);
            EventLog.Emit(paths, KillEvent(record, SIGKILL));
            Resources.ContainerCgroup.Of(record).Kill(SIGKILL);
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

        Resources.ContainerCgroup.Of(record).Destroy();
        Networks.NetworkAttachments.For(paths, containers).Release(record.Id);
        new Volumes.VolumeService(new Volumes.VolumeStore(paths), containers).DeleteContainer(record.Id, removeVolumes);
    }

    private ContainerSweeper Sweeper => new(paths, containers);

    private static bool IsRunning(ContainerRecord record) =>
        record.Status is ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused;

    /// <summary>
    /// Waits for the container's lock (a start, create or foreground run setting it up holds it
    /// until the container is recorded as running); docker's "No such container" when the
    /// container was removed meanwhile.
    /// </summary>
    private DirectoryLock LockExisting(string id, string nameOrId)
    {
        var held = DirectoryLock.Acquire(paths.ContainerDirectory(id)) ?? throw NoSuchContainer(nameOrId);
        if (!containers.HasRecord(id))
        {
            held.Dispose();
            throw NoSuchContainer(nameOrId);
        }

        return held;
    }

    private static EngineException NoSuchContainer(string nameOrId) => EngineException.NoSuchContainer(nameOrId);

    /// <summary>moby daemon/errors.go errNotRunning.</summary>
    private static EngineException NotRunning(ContainerRecord record) =>
        EngineException.Daemon(EngineErrorKind.Conflict, $"Container {record.Id} is not running", 1);

    /// <summary>A frozen process acts on no signal, not even SIGKILL: thaw a paused container first.</summary>
    private static void ThawIfPaused(ContainerRecord record)
    {
        if (record.Status == ContainerStatus.Paused)
        {
            Resources.ContainerCgroup.Of(record).Freeze(false);
        }
    }

    /// <summary>
    /// Until the record says stopped or the process that owns the container (its monitor, or the
    /// init of an attached run) is gone; woken by that process's exit, not by a sleep tick.
    /// </summary>
    /// <param name="timeout">null: until it stopped.</param>
    private bool WaitUntilStopped(ContainerRecord record, TimeSpan? timeout) =>
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
