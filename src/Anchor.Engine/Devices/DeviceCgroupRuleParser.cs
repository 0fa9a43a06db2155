using System.Globalization;
using System.Text.RegularExpressions;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Devices;

/// <summary>
/// --device-cgroup-rule 'TYPE MAJOR:MINOR ACCESS' (type a, b or c; a number or *; one to three of r, w, m),
/// the grammar of docker's CLI check (validateDeviceCgroupRule) and of the daemon's parse
/// (moby daemon/pkg/oci AppendDevicePermissionsFromCgroupRules), each with its own message.
/// </summary>
public static partial class DeviceCgroupRuleParser
{
    [GeneratedRegex(@"^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rule();

    /// <summary>The CLI's check, when the flag is read: the flag's error as pflag words it.</summary>
    public static string Validate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Rule().IsMatch(value)
            ? value
            : throw new EngineException($"invalid argument \"{value}\" for \"--device-cgroup-rule\" flag: invalid device cgroup format '{value}'");
    }

    /// <summary>An allow rule of the spec; a wildcard is left out (null), as the runtime spec reads it.</summary>
    public static SpecDeviceCgroup ToSpec(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Rule().Match(value);
        if (!match.Success)
        {
            throw new EngineException($"invalid device cgroup rule format: '{value}'");
        }

        return new SpecDeviceCgroup
        {
            Allow = true,
            Type = match.Groups[1].Value,
            Major = Number(match.Groups[2].Value, "major", value),
            Minor = Number(match.Groups[3].Value, "minor", value),
            Access = match.Groups[4].Value,
        };
    }

    /// <summary>docker parses an int64 and the kernel a u32: a number past either is refused with docker's words.</summary>
    private static long? Number(string text, string what, string rule)
    {
        if (text == "*")
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= uint.MaxValue
            ? number
            : throw new EngineException($"invalid {what} value in device cgroup rule format: '{rule}'");
    }
}
