using System.Globalization;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>Turns spec resources into the values both cgroup versions write.</summary>
internal static class CgroupLimits
{
    /// <summary>The CFS period the kernel and docker use when only a quota is given (sched-bwc.rst).</summary>
    public const ulong DefaultCpuPeriod = 100_000;

    /// <summary>
    /// Memory plus swap. docker's daemon makes it twice the memory limit when only --memory is given
    /// (daemon_unix.go adaptContainerSettings); applying the same default here keeps a bundle that
    /// omits swap from getting unlimited swap. -1 means unlimited, null means "leave as is".
    /// </summary>
    public static long? MemorySwapTotal(SpecMemory memory) =>
        memory.Swap ?? (memory.Limit is > 0 and var limit ? limit * 2 : null);

    /// <summary>pids.max: a positive limit, or "max" (docker's --pids-limit 0 or -1 mean unlimited).</summary>
    public static string PidsMax(long limit) => limit > 0 ? Format(limit) : "max";

    public static bool NeedsMemory(SpecResources? r) => r?.Memory is { } m && (m.Limit is not null || m.Swap is not null);

    public static bool NeedsCpu(SpecResources? r) => r?.Cpu is { } c && (c.Quota is not null || c.Period is not null);

    public static bool NeedsMemorySoft(SpecResources? r) => r?.Memory is { } m && (m.Reservation is not null || m.DisableOomKiller is not null);

    /// <summary>
    /// cpu.shares (v1, 2..262144, default 1024) as cpu.weight (v2, 1..10000, default 100), with the
    /// conversion runc uses since opencontainers/runc#4785 (opencontainers/cgroups
    /// ConvertCPUSharesToCgroupV2Value): a quadratic in log2(shares) through the minimum, the
    /// default and the maximum, so docker's default 1024 is v2's default 100 (the older linear map
    /// made it 39, below an unconfigured group's 100). 0 means unset.
    /// </summary>
    public static ulong CpuWeight(ulong shares)
    {
        if (shares == 0)
        {
            return 0;
        }

        if (shares <= 2)
        {
            return 1;
        }

        if (shares >= 262_144)
        {
            return 10_000;
        }

        var l = Math.Log2(shares);
        var exponent = ((l * l) + (125 * l)) / 612.0 - (7.0 / 34.0);
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    /// <summary>
    /// blkio.weight (10..1000) as io.weight (1..10000): runc's linear map (ConvertBlkIOToIOWeightValue);
    /// io.bfq.weight takes the blkio value unchanged. 0 means unset.
    /// </summary>
    public static ulong IoWeight(ushort blkioWeight) =>
        blkioWeight == 0 ? 0 : 1 + ((ulong)Math.Max(blkioWeight, (ushort)10) - 10) * 9999 / 990;

    public static bool NeedsCpuset(SpecResources? r) => r?.Cpu is { } c && (!string.IsNullOrEmpty(c.Cpus) || !string.IsNullOrEmpty(c.Mems));

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
