using System.Globalization;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// docker's --ulimit NAME=SOFT[:HARD] (go-units ParseUlimit: a missing hard limit is the soft one,
/// -1 is unlimited) and its runtime-spec form (RLIMIT_NAME, RLIM_INFINITY for -1).
/// </summary>
public static class UlimitParser
{
    // go-units' ulimitNameMapping ("as" is left out there too).
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["core"] = "RLIMIT_CORE", ["cpu"] = "RLIMIT_CPU", ["data"] = "RLIMIT_DATA", ["fsize"] = "RLIMIT_FSIZE",
        ["locks"] = "RLIMIT_LOCKS", ["memlock"] = "RLIMIT_MEMLOCK", ["msgqueue"] = "RLIMIT_MSGQUEUE",
        ["nice"] = "RLIMIT_NICE", ["nofile"] = "RLIMIT_NOFILE", ["nproc"] = "RLIMIT_NPROC", ["rss"] = "RLIMIT_RSS",
        ["rtprio"] = "RLIMIT_RTPRIO", ["rttime"] = "RLIMIT_RTTIME", ["sigpending"] = "RLIMIT_SIGPENDING",
        ["stack"] = "RLIMIT_STACK",
    };

    /// <summary>Every --ulimit of the command line: a later one for the same name replaces an earlier one; sorted by name.</summary>
    public static IReadOnlyList<Ulimit> ParseAll(IEnumerable<string> values)
    {
        var byName = new Dictionary<string, Ulimit>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var limit = Parse(value);
            byName[limit.Name] = limit;
        }

        return [.. byName.Values.OrderBy(l => l.Name, StringComparer.Ordinal)];
    }

    /// <summary>One NAME=SOFT[:HARD]; errors carry docker's flag wording (exit 125).</summary>
    public static Ulimit Parse(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw Invalid(value, $"invalid ulimit argument: {value}");
        }

        var name = value[..equals];
        if (!Names.ContainsKey(name))
        {
            throw Invalid(value, $"invalid ulimit type: {name}");
        }

        var parts = value[(equals + 1)..].Split(':');
        if (parts.Length > 2)
        {
            throw Invalid(value, $"too many limit value arguments - {value[(equals + 1)..]}, can only have up to two, `soft[:hard]`");
        }

        // go-units parses the hard limit first, so a bad hard value is the one reported.
        var hard = parts.Length == 2 ? ParseInt(value, parts[1]) : (long?)null;
        var soft = ParseInt(value, parts[0]);
        var effectiveHard = hard ?? soft;
        if (effectiveHard != -1)
        {
            if (soft == -1)
            {
                throw Invalid(value, $"ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: {effectiveHard}");
            }

            if (soft > effectiveHard)
            {
                throw Invalid(value, $"ulimit soft limit must be less than or equal to hard limit: {soft} > {effectiveHard}");
            }
        }

        return new Ulimit(name, soft, effectiveHard);
    }

    /// <summary>The runtime spec's rlimits (moby daemon/oci_linux.go WithRlimits: uint64 of the values, so -1 is RLIM_INFINITY).</summary>
    public static IReadOnlyList<SpecRlimit>? ToSpec(IReadOnlyList<Ulimit> ulimits)
    {
        ArgumentNullException.ThrowIfNull(ulimits);
        return ulimits.Count == 0
            ? null
            : [.. ulimits.Select(u => new SpecRlimit { Type = Names[u.Name], Soft = unchecked((ulong)u.Soft), Hard = unchecked((ulong)u.Hard) })];
    }

    private static long ParseInt(string flag, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Invalid(flag, $"strconv.ParseInt: parsing \"{text}\": {(IsDigits(text) ? "value out of range" : "invalid syntax")}");

    private static bool IsDigits(string text) => text.TrimStart('-', '+').Length > 0 && text.TrimStart('-', '+').All(char.IsAsciiDigit);

    private static EngineException Invalid(string value, string reason) =>
        new($"invalid argument \"{value}\" for \"--ulimit\" flag: {reason}");
}
