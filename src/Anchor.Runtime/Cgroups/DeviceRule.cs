using System.Globalization;
using System.Text;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// One device cgroup rule in the v1 controller's own terms (Documentation/admin-guide/cgroup-v1/devices.rst):
/// type a (every device), b or c; major and minor, <see cref="Wildcard"/> for "*"; access; allow or deny.
/// </summary>
public readonly record struct DeviceRule(char Type, long Major, long Minor, DeviceAccess Access, bool Allow)
{
    /// <summary>"*": the kernel stores ~0; the runtime spec leaves the number out, runc and docker write -1.</summary>
    public const long Wildcard = -1;

    /// <summary>
    /// The kernel parses numbers as u32 (devcgroup_update_access). A dev_t holds 12 bits of major and 20 of
    /// minor, so a larger number is accepted but matches no device, in v1 and in the program alike.
    /// </summary>
    private const long MaxNumber = uint.MaxValue;

    /// <summary>
    /// Reads a spec entry: an absent type is "a", absent or negative numbers are wildcards; an empty access is
    /// refused for anything but "a" (runc refuses it too; the kernel would store a rule that grants nothing).
    /// </summary>
    public static DeviceRule FromSpec(SpecDeviceCgroup rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var type = string.IsNullOrEmpty(rule.Type) ? 'a' : rule.Type.Length == 1 ? rule.Type[0] : '?';
        if (type is not ('a' or 'b' or 'c'))
        {
            throw new CgroupException($"cgroup: invalid device rule type \"{rule.Type}\" (a, b or c)");
        }

        var access = ParseAccess(rule.Access ?? "");
        if (access == DeviceAccess.None && type != 'a')
        {
            throw new CgroupException($"cgroup: device rule {type} {Format(Number(rule.Major, "major"))}:{Format(Number(rule.Minor, "minor"))} has no access (r, w, m)");
        }

        return type == 'a'
            ? new DeviceRule('a', Wildcard, Wildcard, DeviceAccess.All, rule.Allow)
            : new DeviceRule(type, Number(rule.Major, "major"), Number(rule.Minor, "minor"), access, rule.Allow);
    }

    /// <summary>"rwm" in any order and subset; anything else is refused.</summary>
    public static DeviceAccess ParseAccess(string access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var result = DeviceAccess.None;
        foreach (var c in access)
        {
            result |= c switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => throw new CgroupException($"cgroup: invalid device access \"{access}\" (a combination of r, w and m)"),
            };
        }

        return result;
    }

    /// <summary>The line devices.allow and devices.deny take: "c 1:3 rwm", "b *:* m", or "a".</summary>
    public override string ToString()
    {
        if (Type == 'a')
        {
            return "a";
        }

        var line = new StringBuilder();
        line.Append(Type).Append(' ').Append(Format(Major)).Append(':').Append(Format(Minor)).Append(' ');
        if (Access.HasFlag(DeviceAccess.Read))
        {
            line.Append('r');
        }

        if (Access.HasFlag(DeviceAccess.Write))
        {
            line.Append('w');
        }

        if (Access.HasFlag(DeviceAccess.Mknod))
        {
            line.Append('m');
        }

        return line.ToString();
    }

    private static long Number(long? value, string what) => value switch
    {
        null or < 0 => Wildcard,
        > MaxNumber => throw new CgroupException($"cgroup: device {what} number {value} is out of range (at most {MaxNumber})"),
        _ => value.Value,
    };

    private static string Format(long number) => number == Wildcard ? "*" : number.ToString(CultureInfo.InvariantCulture);
}
