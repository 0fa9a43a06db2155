namespace Anchor.Runtime.Cgroups;

/// <summary>
/// A sample of a container's usage: memory in bytes (limit null when unlimited), CPU time in
/// nanoseconds, tasks, and bytes read from and written to block devices.
/// </summary>
public sealed record CgroupStats(long MemoryUsage, long? MemoryLimit, long CpuNanoseconds, long Pids, long BlockRead = 0, long BlockWritten = 0)
{
    /// <summary>A container that is not running: no usage at all.</summary>
    public static CgroupStats Empty { get; } = new(0, null, 0, 0);
}
