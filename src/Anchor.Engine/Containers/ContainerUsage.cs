using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Containers;

/// <summary>One sample of a container's usage for stats: its cgroup's counters and its network bytes.</summary>
public sealed record ContainerUsage(CgroupStats Cgroup, long NetReceived, long NetTransmitted)
{
    /// <summary>A container that is not running uses nothing.</summary>
    public static ContainerUsage None { get; } = new(CgroupStats.Empty, 0, 0);
}
