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

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
