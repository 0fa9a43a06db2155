using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Security;

/// <summary>
/// The kernel's side of capabilities: how many it knows. Applying the sets is the exec tail's
/// (Native/anchor_exec.c), on the thread or child that then execs.
/// </summary>
public static partial class Capabilities
{
    // linux/prctl.h: LibC does not declare it.
    private const int PR_CAPBSET_READ = 23;

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

        if (int.TryParse(Sys.TryReadSmallText("/proc/sys/kernel/cap_last_cap")?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            _lastCap = last;
            return last;
        }

        // prctl(PR_CAPBSET_READ) fails with EINVAL for a capability the kernel does not know.
        last = 0;
        while (last < 63 && LibC.prctl(PR_CAPBSET_READ, (nuint)(last + 1), 0, 0, 0) >= 0)
        {
            last++;
        }

        _lastCap = last;
        return last;
    }
}
