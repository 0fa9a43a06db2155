using System.Runtime.ExceptionServices;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Creates a container's cgroup on a thread of its own while the caller prepares the bundle.
/// A plain thread rather than Task.Run: the first use of the thread pool starts its gate and
/// worker threads, and .NET's Thread.Start spins (sched_yield) until each new thread runs, which
/// perf showed as the CLI's largest wait on a busy machine.
/// The same thread then moves the waiting init into the cgroup, as soon as both exist: a move
/// takes cgroup_threadgroup_rwsem for writing, and the first writer after a quiet spell waits
/// for an RCU grace period (percpu_down_write → rcu_sync_enter), several milliseconds here, which
/// now passes while the main thread writes the bundle instead of at release.
/// </summary>
public sealed class CgroupCreation
{
    private readonly Thread _thread;
    private readonly object _gate = new();
    private bool _created;
    private ExceptionDispatchInfo? _failure;

    /// <param name="member">The pid to move in once created (waits for it), or null for none.</param>
    public CgroupCreation(ICgroupManager cgroup, SpecResources? resources, Func<int>? member = null)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        _thread = new Thread(() =>
        {
            try
            {
                cgroup.Create(resources);
                if (member is not null)
                {
                    // The grace period starts now, not once the spawn is done (see CgroupWarmup).
                    CgroupWarmup.Touch();
                    cgroup.AddProcess(member());
                }
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                lock (_gate)
                {
                    _created = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "anchor-cgroup" };
        _thread.Start();
    }

    /// <summary>Waits for the cgroup (and the move); throws what either failed with.</summary>
    public void Wait()
    {
        lock (_gate)
        {
            while (!_created)
            {
                Monitor.Wait(_gate);
            }
        }

        _failure?.Throw();
    }

    /// <summary>Waits without throwing: for the undo path, where the main path already reported the failure.</summary>
    public void WaitQuietly() => _thread.Join();
}
