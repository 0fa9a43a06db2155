using System.Runtime.ExceptionServices;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Creates a container's cgroup on a thread of its own while the caller prepares the bundle.
/// A plain thread rather than Task.Run: the first use of the thread pool starts its gate and
/// worker threads, and .NET's Thread.Start spins (sched_yield) until each new thread runs, which
/// perf showed as the CLI's largest wait on a busy machine. The same thread then makes the
/// <see cref="CgroupWarmup"/> move, whose grace period passes while the bundle is written.
/// </summary>
public sealed class CgroupCreation
{
    private readonly Thread _thread;
    private readonly object _gate = new();
    private bool _created;
    private ExceptionDispatchInfo? _failure;

    public CgroupCreation(ICgroupManager cgroup, SpecResources? resources)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        _thread = new Thread(() =>
        {
            try
            {
                cgroup.Create(resources);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                return;
            }
            finally
            {
                lock (_gate)
                {
                    _created = true;
                    Monitor.PulseAll(_gate);
                }
            }

            CgroupWarmup.Touch();
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "anchor-cgroup" };
        _thread.Start();
    }

    /// <summary>Waits for the cgroup; throws what creating it failed with.</summary>
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

    /// <summary>Waits without throwing (and for the warm-up too): for the undo path, where the main path already reported the failure.</summary>
    public void WaitQuietly() => _thread.Join();
}
