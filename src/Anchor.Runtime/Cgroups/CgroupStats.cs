namespace Anchor.Runtime.Cgroups;

/// <summary>A sample of a container's usage: memory in bytes (limit null when unlimited), CPU time in nanoseconds, tasks.</summary>
public sealed record CgroupStats(long MemoryUsage, long? MemoryLimit, long CpuNanoseconds, long Pids);
