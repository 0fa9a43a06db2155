using System.Globalization;

namespace Anchor.Engine.Containers;

/// <summary>The host's side of stats: its memory (a container without a limit may use all of it) and its CPU time.</summary>
public static class HostUsage
{
    /// <summary>USER_HZ, the unit of /proc/stat (proc(5): sysconf(_SC_CLK_TCK), 100 on every Linux ABI).</summary>
    private const long ClockTicksPerSecond = 100;

    /// <summary>MemTotal of /proc/meminfo in bytes; 0 when it cannot be read.</summary>
    public static long MemoryTotal()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// The CPU time of the whole host in nanoseconds: the first eight fields of /proc/stat's "cpu"
    /// line (user … steal; guest time is already counted in user), as moby's stats collector sums them.
    /// </summary>
    public static long CpuNanoseconds()
    {
        var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Sum(f => long.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0);
        return ticks * (1_000_000_000 / ClockTicksPerSecond);
    }
}
