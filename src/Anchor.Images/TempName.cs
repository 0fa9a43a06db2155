using System.Globalization;

namespace Anchor.Images;

/// <summary>
/// Names of the temporary files and directories a process creates in the store (ingest/, tmp/,
/// snapshots/.tmp-*): <c>PID-STARTTIME-KIND-RANDOM</c>, the owner's pid and its start time
/// (proc(5), /proc/PID/stat field 22, clock ticks since boot). A process killed with SIGKILL runs
/// no cleanup, so a later one removes what such an owner left; the start time tells a dead owner
/// from a live process that was given the same pid since. Names of older versions carry only a
/// pid (or nothing) and are judged by what they carry.
/// </summary>
internal static class TempName
{
    /// <summary>Without a start time (no /proc of our pid namespace) the name falls back to the pid alone.</summary>
    private static readonly Lazy<string> Current = new(() =>
        $"{Environment.ProcessId}-{StartTime(Environment.ProcessId)?.ToString(CultureInfo.InvariantCulture) ?? "pid"}");

    /// <summary>What is known of a temporary's owner from its name.</summary>
    public enum Owner
    {
        /// <summary>The name carries no owner (older versions' names).</summary>
        Unknown,
        Alive,
        Dead,
    }

    /// <summary>This process as an owner: <c>PID-STARTTIME</c>.</summary>
    public static string Self => Current.Value;

    /// <summary>A fresh name owned by this process.</summary>
    public static string New(string kind) => $"{Current.Value}-{kind}-{RandomName.Hex()}";

    /// <summary>The owner of the temporary <paramref name="name"/> (without any fixed prefix such as ".tmp-").</summary>
    public static Owner OwnerOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('-', 3);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return Owner.Unknown;
        }

        if (parts.Length > 1 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return StartTime(pid) == start ? Owner.Alive : Owner.Dead;
        }

        // PID-random: an older name with the pid alone.
        return Directory.Exists($"/proc/{pid}") ? Owner.Alive : Owner.Dead;
    }

    /// <summary>
    /// Whether a temporary may be deleted: its owner is dead, or (<paramref name="unlessAlive"/>,
    /// when no writer can be running) it has no live owner at all.
    /// </summary>
    public static bool IsReclaimable(string name, bool unlessAlive) =>
        OwnerOf(name) switch
        {
            Owner.Dead => true,
            Owner.Unknown => unlessAlive,
            _ => false,
        };

    /// <summary>
    /// Field 22 of /proc/PID/stat; null when there is no such process. The fields are counted after
    /// the last ')', since the command name in parentheses may itself hold spaces or parentheses.
    /// </summary>
    private static ulong? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            return null; // ESRCH: the process ended while we read.
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): field 22 is at index 19.
        return fields.Length > 19 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }
}
