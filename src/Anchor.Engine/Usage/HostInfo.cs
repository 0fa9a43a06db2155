using System.Globalization;
using System.Runtime.InteropServices;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Usage;

/// <summary>The host facts `info` reports, read where docker's daemon reads them (moby daemon/info.go, pkg/parsers).</summary>
public static class HostInfo
{
    /// <summary>uname -r.</summary>
    public static string KernelVersion => Linux.Sys.KernelRelease();

    /// <summary>PRETTY_NAME of /etc/os-release (docker's operatingsystem.GetOperatingSystem), "Linux" without it.</summary>
    public static string OperatingSystem => OsRelease("PRETTY_NAME") ?? "Linux";

    /// <summary>VERSION_ID of /etc/os-release.</summary>
    public static string OsVersion => OsRelease("VERSION_ID") ?? "";

    /// <summary>docker's Architecture: the kernel's machine name (x86_64, aarch64).</summary>
    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        System.Runtime.InteropServices.Architecture.X86 => "i686",
        System.Runtime.InteropServices.Architecture.Arm => "armv7l",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>CPUs this process may run on (Go's runtime.NumCPU: the affinity mask).</summary>
    public static int Cpus => Environment.ProcessorCount;

    /// <summary>MemTotal of /proc/meminfo, in bytes.</summary>
    public static long MemTotal
    {
        get
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var kb = line["MemTotal:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }

            return 0;
        }
    }

    /// <summary>"1" or "2": the cgroup hierarchy containers are placed in.</summary>
    public static string CgroupVersion => CgroupDetector.Detect() == Runtime.Cgroups.CgroupVersion.V2 ? "2" : "1";

    private static string? OsRelease(string key)
    {
        foreach (var path in new[] { "/etc/os-release", "/usr/lib/os-release" })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key + "=", StringComparison.Ordinal))
                {
                    return line[(key.Length + 1)..].Trim().Trim('"', '\'');
                }
            }

            return null;
        }

        return null;
    }
}
