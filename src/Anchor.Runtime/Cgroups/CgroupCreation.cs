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
/// </summary>
public static class CgroupCreation
{
    /// <param name="member">The pid to move in once created (waits for it), or null for none.</param>
    /// <returns>The work: Wait throws what the creation or the move failed with.</returns>
    public static BackgroundWork Start(ICgroupManager cgroup, SpecResources? resources, Func<int>? member = null)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        return BackgroundWork.Start(() =>
        {
            cgroup.Create(resources);
            // The grace period starts now, not once the spawn is done (see CgroupWarmup); a
            // move at the release (no member here) comes soon enough to find it passed.
            CgroupWarmup.Touch();
            if (member is not null)
            {
                cgroup.AddProcess(member());
            }
        }, "anchor-cgroup");
    }
}
