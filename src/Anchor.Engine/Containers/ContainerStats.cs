using Anchor.Engine.Run;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Network;

namespace Anchor.Engine.Containers;

/// <summary>The stats use case: samples a container's cgroup and its network namespace.</summary>
public static class ContainerStats
{
    public static ContainerUsage Sample(ContainerRecord container)
    {
        if (container.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
        {
            return ContainerUsage.None;
        }

        var cgroup = Resources.ContainerCgroup.Of(container).Stats();

        // With --network host the namespace is the host's: docker reports no network stats then (0B / 0B).
        var (received, transmitted) = container.Options?.Network == NetworkMode.Host || container.Pid <= 0
            ? (0L, 0L)
            : NetDevStats.Read(container.Pid);
        return new ContainerUsage(cgroup, received, transmitted);
    }
}
