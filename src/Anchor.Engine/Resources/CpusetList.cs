using System.Globalization;

namespace Anchor.Engine.Resources;

/// <summary>
/// cpuset lists ("0-2,4", cpuset(7) "List format") parsed as docker's daemon checks --cpuset-cpus
/// and --cpuset-mems against the host's (moby pkg/sysinfo parseUintList: duplicates allowed, a
/// reversed range refused, values above 8192 or the host's highest refused: CVE-2018-20699, where a
/// huge range exhausted the daemon's memory).
/// </summary>
public static class CpusetList
{
    private const int DefaultMax = 8192;

    /// <summary>The members of <paramref name="list"/>, or the error docker gives (without its "Invalid value" prefix).</summary>
    public static (SortedSet<int>? Members, string? Error) Parse(string list, int maximum = DefaultMax)
    {
        ArgumentNullException.ThrowIfNull(list);
        var members = new SortedSet<int>();
        if (list.Length == 0)
        {
            return (members, null);
        }

        var invalid = $"invalid format: {list}";
        foreach (var part in list.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var (lowText, highText) = dash < 0 ? (part, part) : (part[..dash], part[(dash + 1)..]);
            if (!TryNumber(lowText, out var low) || !TryNumber(highText, out var high) || high < low)
            {
                return (null, invalid);
            }

            if (high > maximum)
            {
                return (null, $"value of out range, maximum is {maximum}");
            }

            for (var i = (int)low; i <= high; i++)
            {
                members.Add(i);
            }
        }

        return (members, null);
    }

    /// <summary>
    /// Whether every member of <paramref name="requested"/> is in <paramref name="available"/>;
    /// throws docker's "Invalid value X for cpuset cpus: …" when the request does not parse.
    /// </summary>
    public static bool IsAvailable(string requested, string available, string what)
    {
        var (have, _) = Parse(available);
        var maximum = Math.Max(DefaultMax, have is { Count: > 0 } ? have.Max : 0);
        var (want, error) = Parse(requested, maximum);
        if (want is null)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid value {requested} for cpuset {what}: {error}");
        }

        return have is not null && want.IsSubsetOf(have);
    }

    // Go's strconv.Atoi on a 64-bit int: an optional sign and decimal digits.
    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= 0;
}
