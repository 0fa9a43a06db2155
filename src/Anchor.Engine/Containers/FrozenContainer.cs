using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Containers;

/// <summary>
/// A running container held still by the cgroup freezer for as long as this lives (docker commit's
/// --pause). A container that is not running, or that the user paused, is left as it is: thawing
/// it afterwards would undo the user's pause.
/// </summary>
internal sealed class FrozenContainer : IDisposable
{
    private readonly ICgroupManager _cgroup;

    private FrozenContainer(ICgroupManager cgroup) => _cgroup = cgroup;

    public static FrozenContainer? Freeze(ContainerRecord record)
    {
        if (ProcessLiveness.Refresh(record).Status != ContainerStatus.Running)
        {
            return null;
        }

        var cgroup = Resources.ContainerCgroup.Of(record);
        cgroup.Freeze(true);
        return new FrozenContainer(cgroup);
    }

    public void Dispose() => _cgroup.Freeze(false);
}
