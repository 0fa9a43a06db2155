using System.Runtime.ExceptionServices;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Creates a container's cgroup on a thread of its own while the caller prepares the bundle.
/// A plain thread rather than Task.Run: the first use of the thread pool starts its gate and
/// worker threads, and .NET's Thread.Start spins (sched_yield) until each new thread runs, which
/// perf showed as the CLI's largest wait on a busy machine.
/// </summary>
public sealed class CgroupCreation
{
    private readonly Thread _thread;
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
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "anchor-cgroup" };
        _thread.Start();
    }

    /// <summary>Waits for the cgroup; throws what creating it failed with.</summary>
    public void Wait()
    {
        _thread.Join();
        _failure?.Throw();
    }

    /// <summary>Waits without throwing: for the undo path, where the main path already reported the failure.</summary>
    public void WaitQuietly() => _thread.Join();
}
