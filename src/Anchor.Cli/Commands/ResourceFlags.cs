using System.CommandLine;
using System.Globalization;
using Anchor.Engine;
using Anchor.Engine.Resources;
using Anchor.Engine.Run;
using Anchor.Engine.Units;
using Anchor.Runtime.Cgroups;

namespace Anchor.Cli.Commands;

/// <summary>
/// run's and create's cgroup flags beyond --memory/--cpus/--pids-limit (docker's container create
/// flags of the same names), and docker's daemon checks of them (<see cref="ResourceCheck"/>):
/// its warnings go to stderr as docker's CLI prints them.
/// </summary>
public static class ResourceFlags
{
    private static readonly Option<string?> MemorySwap = new("--memory-swap") { Description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" };
    private static readonly Option<string?> MemoryReservation = new("--memory-reservation") { Description = "Memory soft limit" };
    private static readonly Option<string?> CpuShares = new("--cpu-shares", "-c") { Description = "CPU shares (relative weight)" };
    private static readonly Option<string?> CpusetCpus = new("--cpuset-cpus") { Description = "CPUs in which to allow execution (0-3, 0,1)" };
    private static readonly Option<string?> CpusetMems = new("--cpuset-mems") { Description = "MEMs in which to allow execution (0-3, 0,1)" };
    private static readonly Option<bool> OomKillDisable = new("--oom-kill-disable") { Description = "Disable OOM Killer" };
    private static readonly Option<string?> CgroupParent = new("--cgroup-parent") { Description = "Optional parent cgroup for the container" };
    private static readonly Option<string?> BlkioWeight = new("--blkio-weight") { Description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)" };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in (Option[])[MemorySwap, MemoryReservation, CpuShares, CpusetCpus, CpusetMems, OomKillDisable, CgroupParent, BlkioWeight])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The flags read into <paramref name="options"/>, checked and adapted as docker's daemon does.</summary>
    public static RunOptions Apply(ParseResult result, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var given = options with
        {
            MemorySwap = ParseSwap(result.GetValue(MemorySwap), "--memory-swap"),
            MemoryReservation = ParseSize(result.GetValue(MemoryReservation), "--memory-reservation"),
            CpuShares = ParseShares(result.GetValue(CpuShares)),
            CpusetCpus = result.GetValue(CpusetCpus),
            CpusetMems = result.GetValue(CpusetMems),
            OomKillDisable = result.GetValue(OomKillDisable),
            CgroupParent = result.GetValue(CgroupParent),
            BlkioWeight = ParseWeight(result.GetValue(BlkioWeight)),
        };
        if (given == options && options.MemoryBytes is null)
        {
            return given; // nothing to check: no need to look at the host's cgroups
        }

        var (adapted, warnings) = ResourceCheck.Verify(given, CgroupSupport.Detect());
        foreach (var warning in warnings)
        {
            Console.Error.WriteLine($"WARNING: {warning}");
        }

        return adapted;
    }

    /// <summary>docker's MemSwapBytes: -1 is unlimited, anything else a size (go-units RAMInBytes).</summary>
    public static long? ParseSwap(string? value, string flag) =>
        value == "-1" ? -1 : ParseSize(value, flag);

    public static long? ParseSize(string? value, string flag)
    {
        if (value is null)
        {
            return null;
        }

        if (!ByteSize.TryParse(value, out var bytes) || bytes < 0)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"{flag}\" flag: invalid size: '{value}'");
        }

        return bytes == 0 ? null : bytes;
    }

    public static long? ParseShares(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var shares))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax");
        }

        return shares == 0 ? null : shares;
    }

    /// <summary>A uint16 flag, as pflag parses it.</summary>
    public static ushort? ParseWeight(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"{value}\": invalid syntax");
        }

        if (weight > ushort.MaxValue)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"{value}\": value out of range");
        }

        return weight == 0 ? null : (ushort)weight;
    }
}
