using System.Globalization;
using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Security;

/// <summary>
/// Applying capability sets in the init stage. Every set here belongs to the calling thread
/// (capabilities(7) "Thread capability sets"), and execve(2) computes the program's sets from that
/// thread's: call from the thread that will execve, with no managed work in between.
/// </summary>
public static partial class Capabilities
{
    // linux/capability.h and linux/prctl.h values LibC does not declare.
    private const uint LinuxCapabilityVersion3 = 0x20080522;
    private const int PR_CAPBSET_READ = 23;
    private const int PR_CAP_AMBIENT_RAISE = 2;

    private static int _lastCap = -1;

    /// <summary>
    /// The highest capability the running kernel knows: /proc/sys/kernel/cap_last_cap, or when /proc
    /// is not mounted (as between pivot_root and mounting /proc) the last number PR_CAPBSET_READ accepts.
    /// Cached after the first call.
    /// </summary>
    public static int LastCap()
    {
        if (_lastCap >= 0)
        {
            return _lastCap;
        }

        int last;
        try
        {
            last = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // prctl(PR_CAPBSET_READ) fails with EINVAL for a capability the kernel does not know.
            last = 0;
            while (last < 63 && LibC.prctl(PR_CAPBSET_READ, (nuint)(last + 1), 0, 0, 0) >= 0)
            {
                last++;
            }
        }

        _lastCap = last;
        return last;
    }

    /// <summary>
    /// Drops from the bounding set every capability not in <c>Bounding</c> (prctl(2) PR_CAPBSET_DROP).
    /// Needs CAP_SETPCAP, so it runs before credentials or capset take it away.
    /// </summary>
    public static void DropBounding(SpecCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var keep = ToMask(capabilities.Bounding);
        var last = LastCap();
        for (var cap = 0; cap <= last; cap++)
        {
            if ((keep & (1UL << cap)) == 0)
            {
                Sys.Check(LibC.prctl(LibC.PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0), "prctl PR_CAPBSET_DROP", CapName(cap));
            }
        }
    }

    /// <summary>
    /// Sets all five sets, as runc does: bounding drops, ambient cleared, capset(2) with
    /// _LINUX_CAPABILITY_VERSION_3 for effective/permitted/inheritable, then the ambient raises
    /// (each must be in permitted and inheritable: PR_CAP_AMBIENT in prctl(2)).
    /// </summary>
    public static void Apply(SpecCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        DropBounding(capabilities);
        Sys.Check(LibC.prctl(LibC.PR_CAP_AMBIENT, LibC.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl PR_CAP_AMBIENT_CLEAR_ALL");

        // Bits above the kernel's last capability would make capset fail with EPERM (not in the old permitted set).
        var known = LastCap() >= 63 ? ulong.MaxValue : (1UL << (LastCap() + 1)) - 1;
        Capset(ToMask(capabilities.Effective) & known, ToMask(capabilities.Permitted) & known, ToMask(capabilities.Inheritable) & known);

        foreach (var name in capabilities.Ambient)
        {
            var cap = Number(name);
            if (cap <= LastCap())
            {
                Sys.Check(LibC.prctl(LibC.PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (nuint)cap, 0, 0), "prctl PR_CAP_AMBIENT_RAISE", CapName(cap));
            }
        }
    }

    /// <summary>
    /// capset(2): header {u32 version, int pid = 0 (this thread)} and, for version 3, two
    /// {effective, permitted, inheritable} u32 triples: capabilities 0-31, then 32-63.
    /// </summary>
    private static void Capset(ulong effective, ulong permitted, ulong inheritable)
    {
        var header = Marshal.AllocHGlobal(8);
        var data = Marshal.AllocHGlobal(24);
        try
        {
            Marshal.WriteInt32(header, 0, unchecked((int)LinuxCapabilityVersion3));
            Marshal.WriteInt32(header, 4, 0);
            for (var half = 0; half < 2; half++)
            {
                var shift = 32 * half;
                Marshal.WriteInt32(data, (12 * half) + 0, unchecked((int)(uint)(effective >> shift)));
                Marshal.WriteInt32(data, (12 * half) + 4, unchecked((int)(uint)(permitted >> shift)));
                Marshal.WriteInt32(data, (12 * half) + 8, unchecked((int)(uint)(inheritable >> shift)));
            }

            Sys.Check((int)LibC.syscall(LibC.SYS_capset, header, data, 0), "capset",
                $"effective={effective:x} permitted={permitted:x} inheritable={inheritable:x}");
        }
        finally
        {
            Marshal.FreeHGlobal(data);
            Marshal.FreeHGlobal(header);
        }
    }

    private static string CapName(int cap) => cap < All.Count ? All[cap] : cap.ToString(CultureInfo.InvariantCulture);
}
