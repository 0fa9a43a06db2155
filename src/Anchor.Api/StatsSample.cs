using Anchor.Engine.Containers;

namespace Anchor.Api;

/// <summary>One stats sample: when it was read (null: none, docker's zero time), the container's usage and the host's CPU time.</summary>
internal sealed record StatsSample(DateTimeOffset? Read, ContainerUsage Usage, long SystemCpu)
{
    public static StatsSample Zero { get; } = new(null, ContainerUsage.None, 0);

    public static StatsSample Take(ContainerRecord record) =>
        new(DateTimeOffset.UtcNow, ContainerStats.Sample(ProcessLiveness.Refresh(record)), HostUsage.CpuNanoseconds());
}
