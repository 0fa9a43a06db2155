using Anchor.Linux;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Creates a container's cgroup on a thread of its own while the caller prepares the bundle.
/// A thread of its own rather than Task.Run (the first use of the thread pool starts its gate and
/// worker threads), and a <see cref="NativeThread"/> rather than Thread.Start, which spins
/// (sched_yield) until each new thread runs: perf showed both as the CLI's largest waits.
/// The same thread then moves the waiting init into the cgroup, as soon as both exist: a move
/// takes cgroup_threadgroup_rwsem for writing, and the first writer after a quiet spell waits
/// for an RCU grace period (percpu_down_write → rcu_sync_enter), several milliseconds here, which
/// now passes while the main thread writes the bundle instead of at release.
/// Two moments can be waited for: <see cref="WaitCreated"/> (the directories, limits and device
/// rules exist: enough for the container's cgroup mount) and <see cref="Wait"/> (also the warm-up).
/// </summary>
public sealed class CgroupCreation
{
    private readonly object _lock = new();
    private bool _created;
    private BackgroundWork? _work;
    private IReadOnlyList<OwnedFd>? _tasksFiles;

    private CgroupCreation()
    {
    }

    /// <param name="member">The pid to move in once created (waits for it), or null for none.</param>
    public static CgroupCreation Start(ICgroupManager cgroup, SpecResources? resources, Func<int>? member = null)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        var creation = new CgroupCreation();
        creation._work = BackgroundWork.Start(() =>
        {
            IReadOnlyList<OwnedFd>? tasksFiles = null;
            try
            {
                cgroup.Create(resources);
                if (member is null)
                {
                    tasksFiles = CgroupTasksFiles.TryOpen(cgroup);
                }
            }
            finally
            {
                creation.MarkCreated(tasksFiles);
            }

            if (tasksFiles is not null)
            {
                // The child joins by itself, without the lock whose grace period the warm-up is
                // for; a warm-up now would only hold cgroup_mutex, which that join needs, through it.
                return;
            }

            // The grace period starts now, not once the spawn is done (see CgroupWarmup); a
            // move at the release (no member here) comes soon enough to find it passed.
            CgroupWarmup.Touch();
            if (member is not null)
            {
                cgroup.AddProcess(member());
            }
        }, "anchor-cgroup");
        return creation;
    }

    /// <summary>Waits until the cgroup exists (or its creation failed: <see cref="Wait"/> then throws it).</summary>
    public void WaitCreated()
    {
        lock (_lock)
        {
            while (!_created)
            {
                Monitor.Wait(_lock);
            }
        }
    }

    /// <summary>
    /// Waits until the cgroup exists and hands over its "tasks" files (cgroup v1, when no member
    /// was given): the spawned child joins the group through them by itself
    /// (<see cref="GatedSpawn.JoinCgroup"/>). Null on v2, after a failure, or once taken.
    /// </summary>
    public IReadOnlyList<OwnedFd>? TakeTasksFiles()
    {
        lock (_lock)
        {
            while (!_created)
            {
                Monitor.Wait(_lock);
            }

            var files = _tasksFiles;
            _tasksFiles = null;
            return files;
        }
    }

    /// <summary>Closes the "tasks" files if nobody took them (a start undone before its spawn).</summary>
    public void CloseUntakenFiles()
    {
        IReadOnlyList<OwnedFd>? files;
        lock (_lock)
        {
            files = _tasksFiles;
            _tasksFiles = null;
        }

        foreach (var file in files ?? [])
        {
            file.Dispose();
        }
    }

    /// <summary>Waits for all of it; throws what the creation or the move failed with.</summary>
    public void Wait() => _work!.Wait();

    /// <summary>Waits for all of it, whatever its outcome (undo paths).</summary>
    public void WaitQuietly() => _work!.WaitQuietly();

    private void MarkCreated(IReadOnlyList<OwnedFd>? tasksFiles)
    {
        lock (_lock)
        {
            _created = true;
            _tasksFiles = tasksFiles;
            Monitor.PulseAll(_lock);
        }
    }
}
