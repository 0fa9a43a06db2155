using Anchor.Engine.Containers;
using Anchor.Linux.Interop;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Monitor;

/// <summary>
/// What the monitor does when the record it works for changed under it: between two runs of a
/// restart policy, rm or stop may have come (rm takes the container's lock, which the monitor does
/// not hold after its first start). A removed container must not be started again, nor left
/// running without a record that any verb could find.
/// </summary>
public static class MonitorRecordCheck
{
    private const int SIGKILL = 9;

    /// <summary>Whether a restart may go ahead: the record still exists and nobody stopped it meanwhile.</summary>
    public static bool MayRestart(ContainerStore containers, string id) =>
        containers.Get(id) is { StoppedByUser: false };

    /// <summary>
    /// The record went while a new init was being started: kill it, wait for it, and free its
    /// cgroup and leases (the directory went with the record).
    /// </summary>
    public static void UndoOrphanStart(AnchorPaths paths, ContainerStore containers, string id, StartedContainer started, ICgroupManager cgroup)
    {
        cgroup.Kill(SIGKILL);
        LibC.kill(started.Pid, SIGKILL);
        started.WaitForExit();
        cgroup.Destroy();
        Networks.NetworkAttachments.For(paths, containers).Release(id);
    }
}
