namespace Anchor.Engine.Resources;

/// <summary>
/// The flags of one <c>anchor container update</c>: null means not given (docker's zero values).
/// </summary>
public sealed record ResourceUpdate
{
    public long? Memory { get; init; }

    /// <summary>-1: unlimited swap.</summary>
    public long? MemorySwap { get; init; }

    public long? MemoryReservation { get; init; }

    /// <summary>--cpus as a CFS quota per 100 ms period.</summary>
    public long? CpuQuota { get; init; }

    public long? CpuShares { get; init; }

    public string? CpusetCpus { get; init; }

    public string? CpusetMems { get; init; }

    /// <summary>0 or -1: unlimited.</summary>
    public long? PidsLimit { get; init; }

    public ushort? BlkioWeight { get; init; }

    public Run.RestartPolicy? Restart { get; init; }
}
