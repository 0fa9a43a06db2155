using System.Globalization;

namespace Anchor.Runtime.Security;

public static partial class Capabilities
{
    /// <summary>
    /// The capabilities this host lets a process hold: the CapBnd line of /proc/self/status
    /// (proc(5)), as docker computes its "all capabilities" for --privileged (moby oci/caps
    /// GetAllCapabilities through containerd's cap.Current). A kernel or a parent that dropped one
    /// from the bounding set (this VM has no CAP_SYS_RESOURCE) cannot hand it to a container either.
    /// Capabilities newer than <see cref="All"/> are left out: they have no name here.
    /// </summary>
    public static IReadOnlyList<string> HostBounding(string status = "/proc/self/status")
    {
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("CapBnd:", StringComparison.Ordinal) &&
                ulong.TryParse(line.AsSpan("CapBnd:".Length).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask))
            {
                return FromMask(mask);
            }
        }

        throw new InvalidDataException($"{status}: no CapBnd line");
    }
}
